import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DiffView } from './DiffView.tsx';

describe('DiffView', () => {
  it('renders one row per aligned line, marked with its kind', () => {
    const html = renderToStaticMarkup(
      <DiffView before={'SELECT a\nFROM t'} after={'SELECT a, b\nFROM t\nWHERE a > 1'} />,
    );
    expect(html.match(/<tr/g)).toHaveLength(3);
    expect([...html.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1])).toEqual(['changed', 'same', 'added']);
    expect(html).toContain('SELECT a, b');
  });
});
