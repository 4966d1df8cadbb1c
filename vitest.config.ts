import { defineConfig } from 'vitest/config';
import BalancedShards from './test/support/balanced-shards.ts';

/**
 * Unit tests under src/ that start JVMs (Flink clusters, javac, mvn, the SQL parser or runner) or bundle
 * with esbuild: they run one at a time with the e2e files, not beside other files.
 */
const SERIAL_UNITS = [
  'src/adapters/flink/catalog-factories.test.ts',
  'src/adapters/flink/local-cluster/class-sharing.test.ts',
  'src/adapters/flink/local-cluster/local-application-cluster.test.ts',
  'src/adapters/flink/local-cluster/local-session-cluster.test.ts',
  'src/adapters/flink/provisioning/maven-provisioner.test.ts',
  'src/adapters/flink/sql-parser/sql-parser-process.test.ts',
  'src/adapters/flink/sql-runner/sql-runner.test.ts',
  'src/adapters/flink/udf-scanner/udf-scanner.test.ts',
  'src/cli/bundle.test.ts',
  'src/domain/clusters/memory-size.test.ts',
  'src/domain/engines/flink-rest-access.test.ts',
];

/**
 * Unit tests that read module-wide state (the registry of secret values every open variable service
 * adds to): a module of their own, not one other files left values in.
 */
const ISOLATED_UNITS = ['src/application/secret-masking.test.ts'];

/**
 * The files on the shared local Kubernetes (test/support/kubernetes): mostly waiting on pods and the
 * operator, little on this machine's CPU. scripts/test.sh runs them in a vitest process of their own,
 * beside the serial local files (vitest 4 runs a groupOrder's files in one pool, with no limit per
 * project, so one process cannot keep each lane to one file at a time).
 */
const KUBERNETES_FILES = ['test/e2e/kubernetes-*.test.ts', 'test/e2e/console-kubernetes-*.test.ts'];
/** Restarts the shared cluster: run when no other file uses it, after them (the cluster is up by then). */
const KUBERNETES_HARNESS = ['test/e2e/kubernetes-harness.test.ts'];
/**
 * Local files that run in the Kubernetes lanes, after their files, to even out the lanes (with two
 * Kubernetes lanes the local one was still ~500 s longer; with the first five here, ~240 s): each
 * starts its own platform and clusters
 * (none uses the shared local session cluster), sharing nothing with the local lane's files.
 */
const BESIDE_KUBERNETES = [
  'test/e2e/engines.test.ts',
  'test/e2e/flink-rest-tls.test.ts',
  'test/e2e/crash-safety.test.ts',
  'test/e2e/local-application.test.ts',
  'test/e2e/lifecycle.test.ts',
  'test/e2e/sql-runner-application.test.ts',
  'test/e2e/flink-ui-application.test.ts',
];

// Component tests render React without `import React`.
const esbuild = { jsx: 'automatic' } as const;
// expect.poll's own default (1 s) is shorter than what a loaded 2-core machine takes for a page to
// follow a request (a delete, then the list's refetch): polls wait as long as a page wait does.
const timeouts = { testTimeout: 120_000, hookTimeout: 300_000, expect: { poll: { timeout: 15_000 } } };
// The `sluice server` processes tests start run no Prometheus of their own (the files about it set it),
// and their Alertmanager on a free port: on the default 9193 a second server's (a file with two, or
// the other lane's) cannot listen and exits.
//
// Every Flink and Kafka JVM the platforms under test start compiles with C1 only, through the variables
// Flink's and Kafka's own scripts read (FLINK_ENV_JAVA_OPTS, KAFKA_OPTS), which Sluice honours for
// the processes it starts: C2's compiler threads cost a JobManager a third or more of its start-up
// CPU, which JVMs living for one test file never earn back on two busy cores.
const C1_ONLY = '-XX:TieredStopAtLevel=1';
const env = {
  SLUICE_PROMETHEUS: 'off',
  SLUICE_ALERTMANAGER_PORT: '0',
  FLINK_ENV_JAVA_OPTS: C1_ONLY,
  KAFKA_OPTS: C1_ONLY,
  // Maven too (the provisioner's, the resolver's and the test jobs' runs, a minute at most): with the
  // heap Sluice gives it when MAVEN_OPTS is unset, one compiler tier and one GC thread; an engine's
  // assembly took 14.1 s of CPU, 11.2 s so.
  MAVEN_OPTS: `-Xmx512m ${C1_ONLY} -XX:+UseSerialGC`,
};

export default defineConfig({
  esbuild,
  test: {
    // Only here, not in the projects: one PostgreSQL server and one engine for the whole run, whose
    // values the projects inherit (a project's own globalSetup would run again).
    globalSetup: ['test/support/global-setup.ts'],
    // `--shard` (the Kubernetes lanes of scripts/test-lanes.sh) splits by each file's usual length.
    sequence: { sequencer: BalancedShards },
    projects: [
      {
        esbuild,
        test: {
          ...timeouts,
          env,
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          exclude: [...SERIAL_UNITS, ...ISOLATED_UNITS],
          // Plain TypeScript (and the shared PostgreSQL, a database per file): two files at a time, first,
          // sharing the modules they import: isolating each file made importing them ~3/4 of the time.
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        esbuild,
        test: {
          ...timeouts,
          env,
          name: 'unit-isolated',
          include: ISOLATED_UNITS,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        esbuild,
        test: {
          ...timeouts,
          env,
          name: 'serial',
          include: ['test/**/*.test.ts', ...SERIAL_UNITS],
          exclude: [...KUBERNETES_FILES, ...KUBERNETES_HARNESS, ...BESIDE_KUBERNETES],
          // Flink, PostgreSQL and the JVMs share a 2-core machine: these files run one at a time, after
          // the unit files.
          fileParallelism: false,
          // One module graph for all of them: isolated, every file imported the platform anew (~10 s each
          // on a loaded machine, 108 of 469 s over ten files); shared, the 73 files import 22 s in all.
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        esbuild,
        test: {
          ...timeouts,
          env,
          name: 'kubernetes',
          include: KUBERNETES_FILES,
          exclude: KUBERNETES_HARNESS,
          // One at a time: they share the cluster's one node. In a single vitest process (no --project),
          // after the serial files.
          fileParallelism: false,
          // One module graph for all of them, as the serial files share theirs: each imported the platform,
          // the Kubernetes client and the CLI anew.
          isolate: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        esbuild,
        test: {
          ...timeouts,
          env,
          // The name puts it in the Kubernetes lane (scripts/test-lanes.sh: --project 'kubernetes*').
          name: 'kubernetes-lane-local',
          include: BESIDE_KUBERNETES,
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 3 },
        },
      },
      {
        esbuild,
        test: {
          ...timeouts,
          env,
          name: 'kubernetes-harness',
          include: KUBERNETES_HARNESS,
          sequence: { groupOrder: 4 },
        },
      },
    ],
  },
});
