/**
 * Memory sizes as Flink reads them (org.apache.flink.configuration.MemorySize#parseBytes): digits, then
 * optional spaces and an optional unit in any case; without a unit the number is bytes. Checked here so
 * that a size Flink would refuse, or one that would overflow its 64-bit byte count, never reaches a
 * cluster's configuration.
 */
const MIB = 1024 * 1024;

const UNITS: Record<string, bigint> = {};
for (const [multiplier, labels] of [
  [1n, ['b', 'bytes']],
  [1024n, ['k', 'kb', 'kibibytes']],
  [1024n ** 2n, ['m', 'mb', 'mebibytes']],
  [1024n ** 3n, ['g', 'gb', 'gibibytes']],
  [1024n ** 4n, ['t', 'tb', 'tebibytes']],
] as const)
  for (const l of labels) UNITS[l] = multiplier;

/** The units Flink knows, for messages and the API's pattern. */
export const MEMORY_UNITS = Object.keys(UNITS);

/** The API's pattern for a memory size: exactly the syntax parseMemorySize takes (units in any case). */
export const MEMORY_SIZE_PATTERN = `^ *[0-9]+ *(${MEMORY_UNITS.map((u) =>
  [...u].map((c) => `[${c}${c.toUpperCase()}]`).join(''),
).join('|')})? *$`;

const LONG_MAX = 2n ** 63n - 1n;

/** Java's String#trim: every character up to U+0020 goes, not only what JavaScript calls white space. */
const javaTrim = (s: string): string => {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
};

/** The size in bytes, or null where Flink refuses the text (no number, an unknown unit, 64-bit overflow). */
export function parseMemorySize(text: string): number | null {
  const trimmed = javaTrim(text);
  let pos = 0;
  while (pos < trimmed.length && trimmed[pos]! >= '0' && trimmed[pos]! <= '9') pos++;
  const digits = trimmed.slice(0, pos);
  if (!digits) return null;
  const unit = javaTrim(trimmed.slice(pos)).toLowerCase();
  const multiplier = unit === '' ? 1n : UNITS[unit];
  if (multiplier === undefined) return null;
  const bytes = BigInt(digits) * multiplier;
  if (BigInt(digits) > LONG_MAX || bytes > LONG_MAX) return null;
  return Number(bytes);
}

/** A size for people: whole mebibytes where it is one, else gibibytes or bytes. */
export function formatMemorySize(bytes: number): string {
  if (bytes >= 1024 * MIB && bytes % (1024 * MIB) === 0) return `${bytes / (1024 * MIB)}g`;
  if (bytes >= MIB) return `${Math.floor(bytes / MIB)}m`;
  return `${bytes} bytes`;
}

/** A size as a JVM -Xmx flag takes it (whole mebibytes: the JVM knows no "mb" nor "bytes"). */
export const jvmMemoryFlag = (bytes: number): string => `${Math.floor(bytes / MIB)}m`;
