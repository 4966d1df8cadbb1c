/**
 * The worked examples users copy into a new job (`examples/sql/*.sql`). Each file starts with three
 * header lines: `-- title:`, `-- description:` and `-- tags:` (comma-separated), and optionally `-- needs:` (what must run first, such as the local Kafka broker).
 */
export interface SqlExample {
  /** The file name without `.sql`. */
  name: string;
  title: string;
  description: string;
  tags: string[];
  /** What must run before it can run as a job (an optional fourth line, `-- needs:`), or null. */
  needs: string | null;
  sql: string;
}

export function parseExample(name: string, sql: string): SqlExample | null {
  const [title, description, tags, needs] = sql.split('\n', 4);
  const value = (line: string | undefined, key: string) =>
    new RegExp(`^-- ${key}: (\\S.*)$`).exec(line ?? '')?.[1]?.trim();
  const t = value(title, 'title');
  const d = value(description, 'description');
  const g = value(tags, 'tags');
  if (!t || !d || !g) return null;
  return {
    name,
    title: t,
    description: d,
    tags: g.split(',').map((s) => s.trim()),
    needs: value(needs, 'needs') ?? null,
    sql,
  };
}
