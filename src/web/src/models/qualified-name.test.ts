import { describe, expect, it } from 'vitest';
import { qualifiedName } from './qualified-name.ts';

describe('qualifiedName', () => {
  it('quotes only the parts that need it', () => {
    expect(qualifiedName(['shop', 'sales', 'orders'])).toBe('shop.sales.orders');
    expect(qualifiedName(['pg', 'shop', 'public.orders'])).toBe('pg.shop.`public.orders`');
    expect(qualifiedName(['c', 'my db', 'a`b'])).toBe('c.`my db`.`a``b`');
  });
});
