import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * Several different TCP ports on 127.0.0.1 that were free a moment ago: each is held until all are
 * found, since the system may hand a port just given back out again at once.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++)
      servers.push(
        await new Promise<net.Server>((resolve, reject) => {
          const srv = net.createServer();
          srv.unref();
          srv.on('error', reject);
          srv.listen(0, '127.0.0.1', () => resolve(srv));
        }),
      );
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/**
 * Ports this process gave a cluster definition: a cluster defined but not started leaves its ports free,
 * so the system may hand them out again, and a second definition on them is refused as a collision.
 */
const givenToClusters = new Set<number>();

/** The three ports of a local cluster, all different, and none given to a cluster before by this process. */
export async function clusterPorts(): Promise<{ restPort: number; rpcPort: number; gatewayPort: number }> {
  for (;;) {
    const ports = await freePorts(3);
    if (ports.some((p) => givenToClusters.has(p))) continue;
    for (const p of ports) givenToClusters.add(p);
    const [restPort, rpcPort, gatewayPort] = ports;
    return { restPort: restPort!, rpcPort: rpcPort!, gatewayPort: gatewayPort! };
  }
}
