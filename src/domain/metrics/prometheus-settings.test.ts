import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { parsePrometheusSettings, prometheusDurationMs } from './prometheus-settings.ts';

/** The refusal's message and the variable it names. */
function refusal(env: Record<string, string>): { message: string; setting: unknown } {
  try {
    parsePrometheusSettings(env);
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return { message: (e as SluiceError).message, setting: (e as SluiceError).details.setting };
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

describe('prometheusDurationMs (Prometheus duration syntax)', () => {
  it('reads units largest first, alone or combined', () => {
    expect(prometheusDurationMs('15d')).toBe(15 * 86_400_000);
    expect(prometheusDurationMs('1w3d')).toBe(10 * 86_400_000);
    expect(prometheusDurationMs('1y')).toBe(365 * 86_400_000);
    expect(prometheusDurationMs('1h30m')).toBe(90 * 60_000);
    expect(prometheusDurationMs('2s500ms')).toBe(2500);
    expect(prometheusDurationMs('0s')).toBe(0);
  });

  it('is undefined for anything else', () => {
    for (const bad of ['', '15', 'd', '15days', '3d1w', '1.5h', ' 15d', '-1d', '15D', '1h1h'])
      expect(prometheusDurationMs(bad), bad).toBeUndefined();
  });
});

describe('parsePrometheusSettings (SLUICE_PROMETHEUS*)', () => {
  it('runs one itself by default: 15 days of retention on port 9190, scraping every 15 s', () => {
    expect(parsePrometheusSettings({})).toEqual({
      mode: 'embedded',
      retention: '15d',
      port: 9190,
      scrapeInterval: '15s',
    });
    expect(
      parsePrometheusSettings({
        SLUICE_PROMETHEUS: 'embedded',
        SLUICE_PROMETHEUS_RETENTION: '90d',
        SLUICE_PROMETHEUS_PORT: '0',
        SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '2s',
      }),
    ).toEqual({ mode: 'embedded', retention: '90d', port: 0, scrapeInterval: '2s' });
  });

  it('uses the Prometheus SLUICE_PROMETHEUS_URL names, its path kept and trailing slash dropped', () => {
    expect(
      parsePrometheusSettings({ SLUICE_PROMETHEUS_URL: 'https://metrics.example.com/prometheus/' }),
    ).toEqual({
      mode: 'external',
      url: 'https://metrics.example.com/prometheus',
    });
  });

  it('runs none when off, whatever the embedded settings say', () => {
    expect(parsePrometheusSettings({ SLUICE_PROMETHEUS: 'off', SLUICE_PROMETHEUS_RETENTION: 'x' })).toEqual({
      mode: 'off',
    });
  });

  it('refuses a retention that is no Prometheus duration above zero, naming the variable and the syntax', () => {
    for (const value of ['15', '2 weeks', '0d', '1.5d']) {
      const r = refusal({ SLUICE_PROMETHEUS_RETENTION: value });
      expect(r.setting).toBe('SLUICE_PROMETHEUS_RETENTION');
      expect(r.message).toContain(`SLUICE_PROMETHEUS_RETENTION: '${value}' is not a Prometheus duration`);
      expect(r.message).toContain('15d');
    }
    expect(refusal({ SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '5' }).setting).toBe(
      'SLUICE_PROMETHEUS_SCRAPE_INTERVAL',
    );
  });

  it('refuses a mode it does not know, and a mode beside a URL (one of the two would be ignored)', () => {
    expect(refusal({ SLUICE_PROMETHEUS: 'false' })).toEqual({
      setting: 'SLUICE_PROMETHEUS',
      message: expect.stringContaining("SLUICE_PROMETHEUS: 'false' is not a setting") as string,
    });
    const both = refusal({ SLUICE_PROMETHEUS: 'off', SLUICE_PROMETHEUS_URL: 'http://p:9090' });
    expect(both.message).toContain(
      'SLUICE_PROMETHEUS is off and SLUICE_PROMETHEUS_URL is set (http://p:9090)',
    );
  });

  it('refuses a URL that is not plain http(s), without showing credentials', () => {
    expect(refusal({ SLUICE_PROMETHEUS_URL: 'prometheus:9090' }).setting).toBe('SLUICE_PROMETHEUS_URL');
    expect(refusal({ SLUICE_PROMETHEUS_URL: 'http://p:9090/?x=1' }).message).toContain(
      "'http://p:9090/?x=1'",
    );
    const secret = refusal({ SLUICE_PROMETHEUS_URL: 'http://admin:hunter2@p:9090' }).message;
    expect(secret).toContain("'http://***@p:9090/'");
    expect(secret).not.toContain('hunter2');
  });

  it('refuses a port that is none', () => {
    for (const value of ['65536', 'abc', '-1'])
      expect(refusal({ SLUICE_PROMETHEUS_PORT: value }).message).toContain(
        `SLUICE_PROMETHEUS_PORT: '${value}' is not a port`,
      );
  });
});
