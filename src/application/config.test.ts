import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const ldap = {
  SLUICE_LDAP_URL: 'ldap://ldap.example.com',
  SLUICE_LDAP_BIND_DN: 'cn=sluice,ou=services,dc=example,dc=com',
  SLUICE_LDAP_USER_BASE: 'ou=people,dc=example,dc=com',
};

describe('loadConfig: LDAP', () => {
  it('none by default; the search password from SLUICE_LDAP_BIND_PASSWORD_FILE; an unreadable file stops the start', () => {
    expect(loadConfig({}).ldap).toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ldap-config-'));
    try {
      const file = path.join(dir, 'password');
      fs.writeFileSync(file, 'from the file\n', { mode: 0o600 });
      expect(loadConfig({ ...ldap, SLUICE_LDAP_BIND_PASSWORD_FILE: file }).ldap).toMatchObject({
        url: 'ldap://ldap.example.com',
        bindPassword: 'from the file',
        userFilter: '(uid={user})',
        adminGroup: null,
        groupBase: null,
      });
      const missing = path.join(dir, 'nowhere');
      expect(() => loadConfig({ ...ldap, SLUICE_LDAP_BIND_PASSWORD_FILE: missing })).toThrow(
        `SLUICE_LDAP_BIND_PASSWORD_FILE: ${missing} cannot be read (ENOENT): give the path of a file this server may read`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadConfig: SLUICE_FLINK_REST_TLS', () => {
  it('is on unless off; any other value stops the start naming the variable', () => {
    expect(loadConfig({}).flinkRestTls).toBe(true);
    expect(loadConfig({ SLUICE_FLINK_REST_TLS: 'on' }).flinkRestTls).toBe(true);
    expect(loadConfig({ SLUICE_FLINK_REST_TLS: ' off ' }).flinkRestTls).toBe(false);
    expect(() => loadConfig({ SLUICE_FLINK_REST_TLS: 'false' })).toThrow(
      "SLUICE_FLINK_REST_TLS: 'false' is not a setting: leave it unset (or write on)",
    );
  });
});

describe('loadConfig: SLUICE_CDS, SLUICE_CDS_DIR', () => {
  it('is on unless off, with its archives in SLUICE_CDS_DIR; any other value stops the start naming the variable', () => {
    expect(loadConfig({}).classSharing).toEqual({
      enabled: true,
      dir: path.join(os.homedir(), '.cache', 'sluice', 'cds'),
    });
    expect(loadConfig({ SLUICE_CDS: 'on', SLUICE_CDS_DIR: '/var/cache/cds' }).classSharing).toEqual({
      enabled: true,
      dir: '/var/cache/cds',
    });
    expect(loadConfig({ SLUICE_CDS: 'off' }).classSharing).toEqual({ enabled: false });
    expect(() => loadConfig({ SLUICE_CDS: 'auto' })).toThrow("SLUICE_CDS: 'auto' is not a setting");
  });
});
