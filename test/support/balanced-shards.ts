import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * About how many seconds each file of the Kubernetes lanes takes on a warm run (2-core machine, the
 * local lane beside them), to split them into shards of even length rather than of even count as
 * vitest's own `--shard` does (by a hash of the path: one shard could get the three longest files).
 * Only a balance: a file missing here weighs DEFAULT_SECONDS, and a wrong number costs time, not a result.
 */
const SECONDS: Record<string, number> = {
  'test/e2e/kubernetes-watch.test.ts': 460,
  'test/e2e/kubernetes-standalone.test.ts': 290,
  'test/e2e/kubernetes-operator-target.test.ts': 256,
  'test/e2e/kubernetes-artifacts.test.ts': 183,
  'test/e2e/kubernetes-native.test.ts': 164,
  'test/e2e/kubernetes-artifacts-s3.test.ts': 131,
  'test/e2e/kubernetes-kafka.test.ts': 105,
  'test/e2e/kubernetes-flink-image.test.ts': 100,
  'test/e2e/kubernetes-operator-session.test.ts': 100,
  'test/e2e/kubernetes-session.test.ts': 91,
  'test/e2e/kubernetes-podspec.test.ts': 84,
  'test/e2e/kubernetes-native-session.test.ts': 80,
  'test/e2e/local-application.test.ts': 150,
  'test/e2e/sql-runner-application.test.ts': 70,
  'test/e2e/flink-ui-application.test.ts': 70,
  'test/e2e/lifecycle.test.ts': 80,
  'test/e2e/engines.test.ts': 63,
  'test/e2e/kubernetes-targets.test.ts': 46,
  'test/e2e/kubernetes-operator.test.ts': 42,
  'test/e2e/console-kubernetes-targets.test.ts': 35,
  'test/e2e/crash-safety.test.ts': 34,
  'test/e2e/console-kubernetes-session-ui.test.ts': 28,
  'test/e2e/flink-rest-tls.test.ts': 28,
  'test/e2e/kubernetes-alerts.test.ts': 15,
  'test/e2e/kubernetes-resources.test.ts': 4,
};
const DEFAULT_SECONDS = 90;

/**
 * `--shard=i/n` by length: the files, longest first, each to the shard with the least so far (ties by
 * key, so every shard process computes the same split); each shard's files in the order given.
 */
export function splitByLength<T extends { key: string; seconds: number }>(files: T[], count: number): T[][] {
  const shards = Array.from({ length: count }, () => ({ seconds: 0, files: [] as T[] }));
  const longestFirst = [...files].sort(
    (a, b) => b.seconds - a.seconds || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  for (const f of longestFirst) {
    const least = shards.reduce((m, s) => (s.seconds < m.seconds ? s : m));
    least.files.push(f);
    least.seconds += f.seconds;
  }
  return shards.map((s) => files.filter((f) => s.files.includes(f)));
}

/** vitest's sequencer with `splitByLength` as its `--shard`. */
export default class BalancedShards extends BaseSequencer {
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { index, count } = this.ctx.config.shard!;
    const root = this.ctx.config.root;
    const weighed = files.map((spec) => {
      const file = path.relative(root, spec.moduleId).split(path.sep).join('/');
      return { spec, key: `${spec.project.name}:${file}`, seconds: SECONDS[file] ?? DEFAULT_SECONDS };
    });
    return splitByLength(weighed, count)[index - 1]!.map((w) => w.spec);
  }
}
