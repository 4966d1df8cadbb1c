import type { ArtifactRef } from '../../../domain/artifacts/artifact.ts';
import { joinArgs, splitArgs } from '../../../domain/jobs/program-args.ts';
import { stillUsable } from './spaces.ts';

/** An artifact version as the form and the API write it: `name@version`. */
export const refText = (r: ArtifactRef): string => `${r.name}@${r.version}`;

/** `name@version` back to its parts; null for anything else. */
export function parseRef(text: string): ArtifactRef | null {
  const m = /^(.+)@(\d+)$/.exec(text);
  return m ? { name: m[1]!, version: Number(m[2]) } : null;
}

/** What the artifact list offers to choose from: every stored version, newest first, with its Main-Class. */
export interface ArtifactChoice {
  value: string;
  name: string;
  version: number;
  mainClass: string | null;
}

export function artifactChoices(
  artifacts: readonly { name: string; versions: readonly { version: number; mainClass: string | null }[] }[],
): ArtifactChoice[] {
  return artifacts.flatMap((a) =>
    [...a.versions]
      .sort((x, y) => y.version - x.version)
      .map((v) => ({ value: refText({ name: a.name, version: v.version }), name: a.name, ...v })),
  );
}

export { joinArgs, splitArgs };

type InSpace = { name: string; space: string | null };

/**
 * A JAR job's jar, classpath and target once its space is `space` (a new job's space changed): what
 * another space holds is left out (the server refuses it), the rest kept as chosen.
 */
export function jarChoicesInSpace(
  chosen: { jar: string | undefined; classpath: string[]; target: string | undefined },
  lists: { artifacts: readonly InSpace[]; targets: readonly InSpace[] },
  space: string | null,
): { jar: string | undefined; classpath: string[]; target: string | undefined } {
  const usable = (ref: string) =>
    stillUsable([parseRef(ref)?.name ?? ref], lists.artifacts, space).length > 0;
  return {
    jar: chosen.jar && usable(chosen.jar) ? chosen.jar : undefined,
    classpath: chosen.classpath.filter(usable),
    target:
      chosen.target && stillUsable([chosen.target], lists.targets, space).length ? chosen.target : undefined,
  };
}

/** The JAR fields of the form, as typed. */
export interface JarForm {
  jar: string | undefined;
  entryClass: string;
  argsText: string;
  classpath: string[];
}

/** The fields of a JAR job's form an API refusal can name (its `details.field`). */
export const JAR_FORM_FIELDS = [
  'name',
  'jar',
  'entryClass',
  'args',
  'classpath',
  'target',
  'parallelism',
  'message',
] as const;
export type JarFormField = (typeof JAR_FORM_FIELDS)[number];

/** The body's JAR fields, or the field to fix first (said by the caller in the console's language). */
export function jarBody(
  f: JarForm,
):
  | { ok: true; body: { jar: string; entryClass: string | null; args: string[]; classpath: string[] } }
  | { ok: false; field: 'jar' }
  | { ok: false; field: 'args'; quote: string } {
  if (!f.jar) return { ok: false, field: 'jar' };
  const args = splitArgs(f.argsText);
  if (!args.ok) return { ok: false, field: 'args', quote: args.quote };
  // An empty entry class is the jar's Main-Class: the server reads it from the manifest.
  return {
    ok: true,
    body: { jar: f.jar, entryClass: f.entryClass.trim() || null, args: args.args, classpath: f.classpath },
  };
}

/**
 * The entry class once another jar is chosen: that jar's Main-Class when the field was empty or held
 * the previous jar's Main-Class; a class the user typed stays.
 */
export function entryClassAfter(
  current: string,
  previous: ArtifactChoice | undefined,
  next: ArtifactChoice | undefined,
): string {
  const untouched = !current.trim() || current === (previous?.mainClass ?? '');
  return untouched ? (next?.mainClass ?? '') : current;
}

/** Which form field an API refusal is about (its `details.field`, `jar` for a path like `jar.version`). */
export function refusedField(details: Record<string, unknown> | undefined): JarFormField | null {
  const field = typeof details?.field === 'string' ? details.field.split(/[.[/]/)[0]! : null;
  return field && (JAR_FORM_FIELDS as readonly string[]).includes(field) ? (field as JarFormField) : null;
}

/** One changed field of a JAR job between two versions, as text. */
export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

type Content = {
  kind?: string;
  sql?: string;
  jar?: ArtifactRef;
  entryClass?: string | null;
  args?: string[];
  classpath?: ArtifactRef[];
} & Record<string, unknown>;

const JAR_FIELDS = ['jar', 'entryClass', 'args', 'classpath'] as const;

/** A JAR field as the CLI's `job get` says it: `name@version`, quoted arguments, `-` for none. */
function jarFieldText(c: Content, field: (typeof JAR_FIELDS)[number]): string {
  switch (field) {
    case 'jar':
      return c.jar ? refText(c.jar) : '-';
    case 'entryClass':
      return c.entryClass ?? '-';
    case 'args':
      return c.args?.length ? joinArgs(c.args) : '-';
    case 'classpath':
      return c.classpath?.length ? c.classpath.map(refText).join(', ') : '-';
  }
}

/**
 * What changed between two versions: a JAR job's program fields first (as text), then every other
 * field but the SQL (as JSON). The SQL has its own diff, and a JAR job has none.
 */
export function versionChanges(a: Content, b: Content): FieldChange[] {
  const out: FieldChange[] = [];
  const jar = a.kind === 'jar' || b.kind === 'jar';
  if (jar)
    for (const field of JAR_FIELDS) {
      const from = jarFieldText(a, field);
      const to = jarFieldText(b, field);
      if (from !== to) out.push({ field, from, to });
    }
  const skip = new Set<string>(['sql', ...(jar ? JAR_FIELDS : [])]);
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (skip.has(key)) continue;
    const x = JSON.stringify(a[key]) ?? '-';
    const y = JSON.stringify(b[key]) ?? '-';
    if (x !== y) out.push({ field: key, from: x, to: y });
  }
  return out;
}

/** A JAR job's versions carry no SQL: there is no SQL diff to show. */
export const hasSqlDiff = (a: Content, b: Content): boolean => a.kind !== 'jar' && b.kind !== 'jar';
