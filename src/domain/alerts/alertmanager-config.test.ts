import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAlertmanagerConfig } from './alertmanager-config.ts';
import { parseAlertmanagerSettings } from './alertmanager-settings.ts';

const routing = { groupWait: '1s', groupInterval: '10s', repeatInterval: '1h' };

/** Alertmanager's own amtool on this configuration: its exit status and output. */
function amtoolCheck(yml: string): { status: number | null; out: string } {
  // amtool comes with Debian's prometheus-alertmanager, which scripts/prerequisites.sh installs.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-amtool-'));
  try {
    fs.writeFileSync(path.join(dir, 'alertmanager.yml'), yml);
    const r = spawnSync('amtool', ['check-config', 'alertmanager.yml'], { cwd: dir, encoding: 'utf8' });
    expect(
      r.error?.message,
      'amtool (Debian package prometheus-alertmanager) is not on the PATH',
    ).toBeUndefined();
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the Alertmanager configuration', () => {
  const yml = renderAlertmanagerConfig({
    sluiceUrl: 'http://127.0.0.1:8080/',
    channels: ['pager', 'ops', 'pager'],
    routing,
    credentialsFile: '/home/sluice/tokens/alertmanager',
  });

  it("routes each channel's alerts to Sluice's webhook (with its token), grouped by rule and job; a FAILED job inhibits its other alerts", () => {
    expect(yml).toBe(
      [
        '# Written by Sluice from its alert rules (sluice alert rule ...): edits here are overwritten.',
        'route:',
        '  receiver: "sluice-none"',
        '  group_by: ["sluice_rule", "sluice_job"]',
        '  group_wait: "1s"',
        '  group_interval: "10s"',
        '  repeat_interval: "1h"',
        '  routes:',
        '    - receiver: "sluice-channel-ops"',
        '      matchers: ["sluice_channel=\\"ops\\""]',
        '    - receiver: "sluice-channel-pager"',
        '      matchers: ["sluice_channel=\\"pager\\""]',
        'receivers:',
        '  - name: "sluice-none"',
        '  - name: "sluice-channel-ops"',
        '    webhook_configs:',
        '      - url: "http://127.0.0.1:8080/api/v1/alerts/alertmanager"',
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            credentials_file: "/home/sluice/tokens/alertmanager"',
        '  - name: "sluice-channel-pager"',
        '    webhook_configs:',
        '      - url: "http://127.0.0.1:8080/api/v1/alerts/alertmanager"',
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            credentials_file: "/home/sluice/tokens/alertmanager"',
        'inhibit_rules:',
        '  - source_matchers: ["sluice_kind=\\"failed\\""]',
        '    target_matchers: ["sluice_kind!=\\"failed\\""]',
        '    equal: ["sluice_job"]',
        '',
      ].join('\n'),
    );
  });

  it("is a configuration Alertmanager's own amtool accepts, with channels and without", () => {
    const r = amtoolCheck(yml);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(' - 3 receivers');
    const none = amtoolCheck(
      renderAlertmanagerConfig({
        sluiceUrl: 'http://127.0.0.1:8080',
        channels: [],
        routing,
        credentialsFile: '/t',
      }),
    );
    expect(none.status, none.out).toBe(0);
  });
});

describe('the Alertmanager settings', () => {
  it('embedded on 9193 by default; the user’s by URL; off; bad values refused naming the variable', () => {
    expect(parseAlertmanagerSettings({})).toEqual({
      mode: 'embedded',
      port: 9193,
      routing: { groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
    });
    expect(
      parseAlertmanagerSettings({ SLUICE_ALERTMANAGER_URL: 'http://am.example.com:9093/' }),
    ).toMatchObject({
      mode: 'external',
      url: 'http://am.example.com:9093',
    });
    expect(parseAlertmanagerSettings({ SLUICE_ALERTMANAGER: 'off', SLUICE_ALERT_GROUP_WAIT: '1s' })).toEqual({
      mode: 'off',
      routing: { groupWait: '1s', groupInterval: '5m', repeatInterval: '4h' },
    });
    const bad: [Record<string, string>, string][] = [
      [{ SLUICE_ALERTMANAGER: 'on' }, 'SLUICE_ALERTMANAGER'],
      [{ SLUICE_ALERTMANAGER: 'off', SLUICE_ALERTMANAGER_URL: 'http://am:9093' }, 'SLUICE_ALERTMANAGER'],
      [{ SLUICE_ALERTMANAGER_URL: 'am:9093' }, 'SLUICE_ALERTMANAGER_URL'],
      [{ SLUICE_ALERTMANAGER_PORT: '70000' }, 'SLUICE_ALERTMANAGER_PORT'],
      [{ SLUICE_ALERT_REPEAT_INTERVAL: 'daily' }, 'SLUICE_ALERT_REPEAT_INTERVAL'],
    ];
    for (const [env, variable] of bad)
      expect(() => parseAlertmanagerSettings(env), JSON.stringify(env)).toThrow(
        expect.objectContaining({
          details: { setting: variable },
          message: expect.stringMatching(`^${variable}: `) as string,
        }),
      );
  });
});
