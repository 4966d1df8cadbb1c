import fs from 'node:fs';
import os from 'node:os';
import * as k8s from '@kubernetes/client-node';

/**
 * The local cluster has no DNS. The Flink Kubernetes Operator, run as a process beside the cluster,
 * calls each FlinkDeployment's REST endpoint by its Service name `<name>-rest.<namespace>`; this
 * process keeps a hosts file (the JVM's `-Djdk.net.hosts.file`) listing every Service's ClusterIP under
 * `<svc>.<ns>`, `<svc>.<ns>.svc` and `<svc>.<ns>.svc.cluster.local`, rewritten on each change of a
 * Service from an informer (one watch, not a poll).
 *
 *   node --import tsx service-hosts.ts <kubeconfig> <hosts file>
 */

export function hostsFileText(base: string, services: readonly k8s.V1Service[]): string {
  const lines = [base.trimEnd(), `127.0.0.1 ${os.hostname()}`];
  for (const s of services) {
    const ip = s.spec?.clusterIP;
    const name = s.metadata?.name;
    const ns = s.metadata?.namespace;
    // Headless Services ("None") have no address of their own.
    if (!ip || ip === 'None' || !name || !ns) continue;
    lines.push(`${ip} ${name}.${ns} ${name}.${ns}.svc ${name}.${ns}.svc.cluster.local`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(kubeconfig: string, hostsFile: string): Promise<void> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const informer = k8s.makeInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
  const write = () => {
    const base = fs.existsSync('/etc/hosts') ? fs.readFileSync('/etc/hosts', 'utf8') : '127.0.0.1 localhost';
    // Write then rename: the JVM reads the file on each lookup and must never see half of it.
    fs.writeFileSync(`${hostsFile}.tmp`, hostsFileText(base, informer.list()));
    fs.renameSync(`${hostsFile}.tmp`, hostsFile);
  };
  for (const event of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) informer.on(event, write);
  informer.on(k8s.ERROR, (err: unknown) => {
    // The API server ends watches now and then; the informer stops on it and is started again.
    process.stderr.write(`service-hosts: watch ended (${String(err)}), restarting in 1 s\n`);
    setTimeout(() => void informer.start().catch(() => undefined), 1000);
  });
  await informer.start();
  write();
  process.stderr.write(`service-hosts: writing ${hostsFile}\n`);
}

const [kubeconfig, hostsFile] = process.argv.slice(2);
if (kubeconfig && hostsFile && process.argv[1]?.endsWith('service-hosts.ts'))
  main(kubeconfig, hostsFile).catch((e: unknown) => {
    process.stderr.write(`service-hosts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
