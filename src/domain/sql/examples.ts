/**
 * The worked examples users copy into a new job (`examples/sql/*.sql`). Each file starts with three
 * header lines: `-- title:`, `-- description:` and `-- tags:` (comma-separated).
 */
export interface SqlExample {
  /** The file name without `.sql`. */
  name: string;
  title: string;
  description: string;
  tags: string[];
  sql: string;
}

export function parseExample(name: string, sql: string): SqlExample | null {
  const [title, description, tags] = sql.split('\n', 3);
  const value = (line: string | undefined, key: string) =>
    new RegExp(`^-- ${key}: (\\S.*)$`).exec(line ?? '')?.[1]?.trim();
  const t = value(title, 'title');
  const d = value(description, 'description');
  const g = value(tags, 'tags');
  if (!t || !d || !g) return null;
  return { name, title: t, description: d, tags: g.split(',').map((s) => s.trim()), sql };
}
