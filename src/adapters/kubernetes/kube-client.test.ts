import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubeAccessOf } from './kube-client.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kubeconfig-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const refusal = (kubeconfig: string, context: string | null = null) => {
  try {
    kubeAccessOf({ kubeconfig, context });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
};

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: { server: 'https://10.0.0.1:6443' }
- name: b
  cluster: { server: 'https://10.0.0.2:6443' }
users:
- name: me
  user: { token: abc }
contexts:
- name: first
  context: { cluster: a, user: me }
- name: second
  context: { cluster: b, user: me }
current-context: first
`;

describe("a target's kubeconfig", () => {
  it('gives the current context’s server, or the named context’s', () => {
    const f = file('ok', KUBECONFIG);
    expect(kubeAccessOf({ kubeconfig: f, context: null })).toMatchObject({
      server: 'https://10.0.0.1:6443',
      context: 'first',
      user: 'me',
    });
    expect(kubeAccessOf({ kubeconfig: f, context: 'second' })).toMatchObject({
      server: 'https://10.0.0.2:6443',
      context: 'second',
    });
  });

  it('refuses what cannot be one, without echoing the file and without reading devices', () => {
    expect(refusal(file('ok2', KUBECONFIG), 'third')).toBe(
      `context 'third' is not in kubeconfig ${dir}/ok2: its contexts are first, second; name one of them`,
    );
    const yaml = file('bad', 'a: [\n  b: : c\n\tsecret-line\n');
    expect(refusal(yaml)).toBe(
      `kubeconfig ${yaml} cannot be used: it is not a kubeconfig file (YAML with clusters, users and contexts); give a kubeconfig file the Sluice server can read (kubectl config view --kubeconfig FILE shows what it holds)`,
    );
    expect(refusal('/dev/zero')).toContain('cannot be used: it is not a regular file');
    expect(refusal(dir)).toContain('it is not a regular file');
    expect(refusal(path.join(dir, 'absent'))).toContain('ENOENT: no such file or directory');
    expect(refusal(file('empty', 'apiVersion: v1\nkind: Config\n'))).toContain(
      'its current context names no cluster',
    );
  });
});
