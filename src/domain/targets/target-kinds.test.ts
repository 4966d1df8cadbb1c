import { describe, expect, it } from 'vitest';
import { sessionKindOf, TARGET_KINDS, targetKind } from './target-kinds.ts';

describe('the registry of target kinds', () => {
  it('names the session kinds and maps the wire names the API still uses', () => {
    expect(Object.keys(TARGET_KINDS)).toEqual(['local-session', 'remote-session']);
    expect(sessionKindOf('local')).toBe('local-session');
    expect(sessionKindOf('remote')).toBe('remote-session');
    for (const k of Object.values(TARGET_KINDS)) expect(sessionKindOf(k.wireKind)).toBe(k.name);
  });

  it('says what a deployment is on each kind, and its steps in order', () => {
    expect(targetKind('local-session')).toMatchObject({ managed: true, deployment: 'session-job' });
    expect(targetKind('remote-session')).toMatchObject({ managed: false, deployment: 'session-job' });
    expect(targetKind('remote-session').deploySteps.at(-1)).toBe('wait until running');
    expect(targetKind('local-session').deploySteps[0]).toBe('prepare cluster');
  });
});
