import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const env = (vars: Record<string, string>) => ({ SLUICE_HOME: '/tmp/sluice-config-test', ...vars });

describe('the log retention settings', () => {
  it('keep 10 runs per job and none older than 14 days by default', () => {
    expect(loadConfig(env({})).logRetention).toEqual({
      runs: 10,
      maxAge: { text: '14d', ms: 14 * 86_400_000 },
    });
  });

  it('read SLUICE_LOG_RETENTION_RUNS (or its older name) and SLUICE_LOG_RETENTION', () => {
    expect(
      loadConfig(env({ SLUICE_LOG_RETENTION_RUNS: '3', SLUICE_LOG_RETENTION: '36h' })).logRetention,
    ).toEqual({ runs: 3, maxAge: { text: '36h', ms: 36 * 3_600_000 } });
    expect(loadConfig(env({ SLUICE_POD_LOG_RUNS: '4', SLUICE_LOG_RETENTION: 'off' })).logRetention).toEqual({
      runs: 4,
      maxAge: null,
    });
  });

  it('refuse a bad age at start, naming the variable, the value and the forms it takes', () => {
    expect(() => loadConfig(env({ SLUICE_LOG_RETENTION: '2 weeks' }))).toThrow(
      /^SLUICE_LOG_RETENTION=2 weeks is not an age: give a number with a unit, largest first \(w, d, h, m\), such as 14d, 36h or 1w3d; or 0 or off for no age limit/,
    );
  });
});
