import { describe, expect, it } from 'vitest';
import { sideBySide } from './side-by-side.ts';

describe('sideBySide', () => {
  it('pairs a changed line and keeps the numbering of both sides', () => {
    const rows = sideBySide('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(rows).toEqual([
      { kind: 'same', left: { number: 1, text: 'a' }, right: { number: 1, text: 'a' } },
      { kind: 'changed', left: { number: 2, text: 'b' }, right: { number: 2, text: 'B' } },
      { kind: 'same', left: { number: 3, text: 'c' }, right: { number: 3, text: 'c' } },
      { kind: 'added', left: null, right: { number: 4, text: 'd' } },
    ]);
  });

  it('shows a removal alone on the left, and more removed than added lines as removed', () => {
    expect(
      sideBySide('a\nx\ny\nb', 'a\nz\nb').map((r) => [r.kind, r.left?.text ?? null, r.right?.text ?? null]),
    ).toEqual([
      ['same', 'a', 'a'],
      ['changed', 'x', 'z'],
      ['removed', 'y', null],
      ['same', 'b', 'b'],
    ]);
  });

  it('has nothing to show for equal texts but the lines themselves', () => {
    expect(sideBySide('one\n', 'one\n').every((r) => r.kind === 'same')).toBe(true);
  });
});
