import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { NETNS, NODE_IP } from './cluster.ts';

/**
 * What a reachable platform URL is in a real cluster (Sluice's Service, Ingress or host address), made
 * here: the local cluster's pods cannot reach this machine (both ends of its network sit inside the
 * `sluice-k8s` network namespace), so a socat listens on the node's IP inside that namespace and relays
 * each connection to a port on this machine's loopback, entering this process's own network namespace
 * (the kubeconfig's bridge does the same the other way). Started and stopped by the test that needs it.
 */
export async function forwardIntoCluster(
  hostPort: number,
): Promise<{ url: string; stop: () => Promise<void> }> {
  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = 20000 + Math.floor(Math.random() * 9000);
    const c = spawn(
      'ip',
      [
        'netns',
        'exec',
        NETNS,
        'socat',
        `TCP-LISTEN:${port},bind=${NODE_IP},fork,reuseaddr`,
        `EXEC:nsenter --net=/proc/${process.pid}/ns/net socat STDIO TCP\\:127.0.0.1\\:${hostPort}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    c.stderr!.on('data', (d) => (err += d));
    const exited = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 500);
      c.once('exit', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    if (!exited && listening(port)) child = c;
    else if (!exited) c.kill();
    else if (attempt === 4) throw new Error(`the forwarder into the cluster did not start: ${err}`);
  }
  if (!child) throw new Error('the forwarder into the cluster did not start');
  const running = child;
  return {
    url: `http://${NODE_IP}:${port}`,
    stop: async () => {
      if (running.exitCode !== null) return;
      const gone = new Promise((r) => running.once('exit', r));
      running.kill();
      await gone;
    },
  };
}

function listening(port: number): boolean {
  const r = spawnSync('ip', ['netns', 'exec', NETNS, 'ss', '-Htln', `sport = :${port}`], {
    encoding: 'utf8',
  });
  return r.stdout.includes(`:${port}`);
}
