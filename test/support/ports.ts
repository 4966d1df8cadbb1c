import net from 'node:net';

/**
 * Test servers and clusters listen on ports below the system's ephemeral range (32768-60999 here):
 * that range is also where every outgoing connection and every port-0 listener of the suite's JVMs and
 * browsers gets its port, so a port found free there could be taken by a client socket before the
 * server meant for it binds. Kubernetes' NodePorts (30000-32767) live in the cluster's own network
 * namespace, but are kept clear as well.
 */
const FIRST = 20000;
const LAST = 29999;

/** Ports this process handed out: a server not started yet leaves its port free, and it must not be handed out twice. */
const handedOut = new Set<number>();

const listens = (port: number): Promise<net.Server | null> =>
  new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * Several different TCP ports on 127.0.0.1 that were free a moment ago, none handed out before by this
 * process. They are picked at random in the range above, so that the suite's processes, each with its
 * own memory of what it handed out, rarely try the same one; each is held until all are found.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let tries = 0; servers.length < n; tries++) {
      if (tries > 1000) throw new Error(`no free port between ${FIRST} and ${LAST} after 1000 tries`);
      const port = FIRST + Math.floor(Math.random() * (LAST - FIRST + 1));
      if (handedOut.has(port)) continue;
      const srv = await listens(port);
      if (srv) servers.push(srv);
    }
    const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
    for (const p of ports) handedOut.add(p);
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/** The three ports of a local cluster, all different. */
export async function clusterPorts(): Promise<{ restPort: number; rpcPort: number; gatewayPort: number }> {
  const [restPort, rpcPort, gatewayPort] = await freePorts(3);
  return { restPort: restPort!, rpcPort: rpcPort!, gatewayPort: gatewayPort! };
}
