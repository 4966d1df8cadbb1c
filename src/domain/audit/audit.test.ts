import { describe, expect, it } from 'vitest';
import {
  MASK,
  csvHeader,
  csvLine,
  jsonLine,
  maskSecrets,
  outcomeOf,
  sinceTime,
  type AuditEntry,
} from './audit.ts';

const entry: AuditEntry = {
  id: 7,
  at: '2026-12-04T10:00:00.000Z',
  actor: 'carol',
  via: 'console',
  sourceAddress: '127.0.0.1',
  userAgent: 'Mozilla/5.0 (X11, "Linux")',
  method: 'PUT',
  path: '/api/v1/variables/pw',
  operation: 'workspace.setVariable',
  resourceKind: 'variable',
  resourceName: '=cmd|calc',
  space: 'team-a',
  status: 200,
  errorCode: null,
  before: null,
  after: { name: 'pw', value: MASK, secret: true },
};

describe('the audit log', () => {
  it('masks every secret value of a resource, at any depth, and nothing else', () => {
    expect(
      maskSecrets({
        name: 'pw',
        value: 'hunter2',
        secret: true,
        description: 'the database password',
      }),
    ).toEqual({ name: 'pw', value: MASK, secret: true, description: 'the database password' });
    // A variable that is not secret keeps its value.
    expect(maskSecrets({ name: 'topic', value: 'orders', secret: false })).toEqual({
      name: 'topic',
      value: 'orders',
      secret: false,
    });
    expect(
      maskSecrets({
        options: { 's3.secret-key': 'abc', 'security.ssl.rest.keystore-password': 'k', parallelism: '2' },
        connections: [{ saslPassword: 'p', saslUsername: 'u', webhookUrl: 'https://hooks/x?key=1' }],
        passwordHash: '$scrypt$...',
        hasPassword: true,
        token: null,
      }),
    ).toEqual({
      options: { 's3.secret-key': MASK, 'security.ssl.rest.keystore-password': MASK, parallelism: '2' },
      connections: [{ saslPassword: MASK, saslUsername: 'u', webhookUrl: MASK }],
      passwordHash: MASK,
      hasPassword: true,
      token: null,
    });
    expect(maskSecrets(null)).toBeNull();
    expect(maskSecrets('text')).toBe('text');
  });

  it('says how a request ended by its status', () => {
    expect([200, 201, 202, 204, 302].map(outcomeOf)).toEqual(Array(5).fill('succeeded'));
    expect([401, 403].map(outcomeOf)).toEqual(['refused', 'refused']);
    expect([400, 404, 409, 500].map(outcomeOf)).toEqual(Array(4).fill('failed'));
  });

  it('exports a record as a JSON line and as a CSV line a spreadsheet reads as text', () => {
    expect(JSON.parse(jsonLine(entry))).toEqual(entry);
    expect(jsonLine(entry).endsWith('}\n')).toBe(true);
    expect(csvHeader()).toBe(
      'id,at,actor,via,sourceAddress,userAgent,method,path,operation,resourceKind,resourceName,space,status,errorCode,before,after\r\n',
    );
    expect(csvLine(entry)).toBe(
      '7,2026-12-04T10:00:00.000Z,carol,console,127.0.0.1,"Mozilla/5.0 (X11, ""Linux"")",PUT,/api/v1/variables/pw,workspace.setVariable,variable,"\'=cmd|calc",team-a,200,,,"{""name"":""pw"",""value"":""******"",""secret"":true}"\r\n',
    );
  });

  it('reads --since as a duration back from now or as a date or time, and nothing else', () => {
    const now = new Date('2026-12-04T12:00:00.000Z');
    expect(sinceTime('30m', now)).toBe('2026-12-04T11:30:00.000Z');
    expect(sinceTime('2h', now)).toBe('2026-12-04T10:00:00.000Z');
    expect(sinceTime('7d', now)).toBe('2026-11-27T12:00:00.000Z');
    expect(sinceTime('2026-12-01', now)).toBe('2026-12-01T00:00:00.000Z');
    expect(sinceTime('2026-12-04T10:00:00+02:00', now)).toBe('2026-12-04T08:00:00.000Z');
    for (const bad of ['yesterday', '2x', '', '12', '2026-13-45'])
      expect(sinceTime(bad, now), bad).toBeUndefined();
  });
});
