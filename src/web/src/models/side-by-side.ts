import { diffLines } from 'diff';

/** One row of a side-by-side diff: a line on the left, on the right, or both. */
export interface DiffRow {
  kind: 'same' | 'removed' | 'added' | 'changed';
  left: { number: number; text: string } | null;
  right: { number: number; text: string } | null;
}

const lines = (s: string) => {
  const l = s.split('\n');
  if (l.at(-1) === '') l.pop();
  return l;
};

/**
 * Two texts as aligned rows: unchanged lines side by side; a removal followed by an addition is
 * paired line by line as `changed`, the rest stand alone on their side.
 */
export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let l = 1;
  let r = 1;
  // A missing newline at the end would make the last lines differ although their text is the same.
  const ended = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  const parts = diffLines(ended(before), ended(after));
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const text = lines(p.value);
    if (!p.added && !p.removed) {
      for (const t of text)
        rows.push({ kind: 'same', left: { number: l++, text: t }, right: { number: r++, text: t } });
    } else if (p.removed && parts[i + 1]?.added) {
      const added = lines(parts[++i]!.value);
      for (let k = 0; k < Math.max(text.length, added.length); k++) {
        const a = text[k];
        const b = added[k];
        rows.push({
          kind: a !== undefined && b !== undefined ? 'changed' : a !== undefined ? 'removed' : 'added',
          left: a === undefined ? null : { number: l++, text: a },
          right: b === undefined ? null : { number: r++, text: b },
        });
      }
    } else if (p.removed) {
      for (const t of text) rows.push({ kind: 'removed', left: { number: l++, text: t }, right: null });
    } else {
      for (const t of text) rows.push({ kind: 'added', left: null, right: { number: r++, text: t } });
    }
  }
  return rows;
}
