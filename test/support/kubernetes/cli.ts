import { clusterDown, clusterUp } from './cluster.ts';

/**
 * `npm run k8s:up` / `npm run k8s:down`. `up` prints `KUBECONFIG=<file>` and `KUBECTL=<binary>` as its
 * last two lines (progress goes to stderr), so a script can read them:
 *   eval "$(npm run --silent k8s:up | tail -2 | sed 's/^/export /')"
 * `up` also starts the Flink Kubernetes Operator (operator.ts) and waits until it is ready, unless
 * SLUICE_K8S_OPERATOR=0; SLUICE_K8S_OPERATOR_NAMESPACES=a,b limits it to those namespaces (default: all).
 */
const command = process.argv[2];
try {
  if (command === 'up') {
    const cluster = await clusterUp();
    process.stdout.write(`KUBECONFIG=${cluster.kubeconfig}\nKUBECTL=${cluster.kubectl}\n`);
  } else if (command === 'down') {
    await clusterDown();
  } else {
    throw new Error(`unknown command '${command ?? ''}': use 'up' or 'down'`);
  }
} catch (e) {
  process.stderr.write(`k8s ${command ?? ''}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
