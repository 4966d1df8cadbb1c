import { afterEach, describe, expect, it } from 'vitest';
import { freshAnyStore } from '../../test/support/stores.ts';
import type { SecretSealer } from './ports/secrets.ts';
import { VariableService } from './variable-service.ts';

const sealer: SecretSealer = {
  seal: (plain) => `sealed:${Buffer.from(plain).toString('base64')}`,
  open: (sealed) => Buffer.from(sealed.replace(/^sealed:/, ''), 'base64').toString(),
};

describe('variables per space', () => {
  let variables: VariableService | undefined;
  afterEach(() => variables?.close());

  it("substitute only the space's own variables: another space's secret is undefined there", async () => {
    const store = await freshAnyStore('memory');
    variables = new VariableService(store, sealer);
    await store.spaces.addSpace({ name: 'team-a', createdAt: 'now', createdBy: 'admin' });
    await variables.set('pw', 'Correct-Horse-Battery-9', { secret: true, space: 'team-a' });
    await variables.set('topic', 'orders', {});

    const inA = await variables.resolve("SELECT '${pw}'", {}, 'team-a');
    expect(inA.sql).toBe("SELECT 'Correct-Horse-Battery-9'");
    expect(inA.secretsUsed).toEqual(['pw']);
    await expect(variables.resolve("SELECT '${pw}'", {}, 'default')).rejects.toThrow(/pw/);
    await expect(variables.resolve('', { 'x.y': '${pw}' }, 'default')).rejects.toThrow(/pw/);
    await expect(variables.resolveArgs(['--password=${pw}'], 'default')).rejects.toThrow(/pw/);
    expect((await variables.resolve("SELECT '${topic}'", {}, 'default')).sql).toBe("SELECT 'orders'");
    await expect(variables.resolve("SELECT '${topic}'", {}, 'team-a')).rejects.toThrow(/topic/);
    // Without a space (the platform's own checks): every variable.
    expect((await variables.resolve('${pw} ${topic}')).used.sort()).toEqual(['pw', 'topic']);
    // A script's lineage resolves its space's plain variables only.
    const table = 'CREATE TABLE ${topic} (id INT)';
    expect((await variables.forLineage('default')).script(table)).toBe('CREATE TABLE orders (id INT)');
    expect((await variables.forLineage('team-a')).script(table)).toBe(table);
  });
});
