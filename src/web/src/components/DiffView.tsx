import { sideBySide, type DiffRow } from '../models/side-by-side.ts';

const BG: Record<DiffRow['kind'], [string, string]> = {
  same: ['transparent', 'transparent'],
  removed: ['#ffebe9', 'transparent'],
  added: ['transparent', '#e6ffec'],
  changed: ['#ffebe9', '#e6ffec'],
};

const cell = (side: DiffRow['left'], bg: string) => [
  <td
    key="n"
    style={{ color: '#999', textAlign: 'right', padding: '0 8px', userSelect: 'none', background: bg }}
  >
    {side?.number ?? ''}
  </td>,
  <td key="t" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', padding: '0 8px', background: bg }}>
    {side?.text ?? ''}
  </td>,
];

/** Two versions of a script side by side, changed lines paired. */
export function DiffView({ before, after }: { before: string; after: string }) {
  const rows = sideBySide(before, after);
  return (
    <table
      data-testid="diff-view"
      style={{
        width: '100%',
        tableLayout: 'fixed',
        fontFamily: 'monospace',
        fontSize: 12,
        borderCollapse: 'collapse',
      }}
    >
      <colgroup>
        <col style={{ width: 40 }} />
        <col />
        <col style={{ width: 40 }} />
        <col />
      </colgroup>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} data-kind={r.kind}>
            {cell(r.left, BG[r.kind][0])}
            {cell(r.right, BG[r.kind][1])}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
