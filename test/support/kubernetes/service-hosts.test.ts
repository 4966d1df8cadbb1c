import os from 'node:os';
import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { hostsFileText } from './service-hosts.ts';

const service = (name: string, namespace: string, clusterIP: string): k8s.V1Service => ({
  metadata: { name, namespace },
  spec: { clusterIP },
});

describe('the hosts file the operator resolves Service names from', () => {
  it('names each Service as cluster DNS would, after the machine hosts file', () => {
    const text = hostsFileText('127.0.0.1 localhost\n', [
      service('counter-rest', 'jobs', '10.96.12.34'),
      service('kubernetes', 'default', '10.96.0.1'),
    ]);
    expect(text.split('\n')).toEqual([
      '127.0.0.1 localhost',
      `127.0.0.1 ${os.hostname()}`,
      '10.96.12.34 counter-rest.jobs counter-rest.jobs.svc counter-rest.jobs.svc.cluster.local',
      '10.96.0.1 kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local',
      '',
    ]);
  });

  it('leaves out headless Services, which have no address of their own', () => {
    // Flink's native mode makes the JobManager's RPC Service headless (clusterIP None).
    const text = hostsFileText('', [
      service('counter', 'jobs', 'None'),
      service('counter-rest', 'jobs', '10.96.1.2'),
    ]);
    expect(text).not.toContain('counter.jobs ');
    expect(text).toContain('10.96.1.2 counter-rest.jobs ');
  });
});
