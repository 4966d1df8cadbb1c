import { describe, expect, it } from 'vitest';
import {
  defaultTargetOf,
  engineOfLocalApplicationTarget,
  localApplicationTargetName,
  sessionKindOf,
  TARGET_KINDS,
  targetKind,
  targetKindOfWire,
  inPlaceUpgradeSteps,
  upgradeWay,
} from './target-kinds.ts';
import { KUBERNETES_MODES, kubernetesKindOf } from './kubernetes-target.ts';

describe('the registry of target kinds', () => {
  it('names the session kinds and maps the wire names the API still uses', () => {
    expect(Object.keys(TARGET_KINDS)).toEqual([
      'local-session',
      'remote-session',
      'local-application',
      'kubernetes-operator',
      'kubernetes-native',
      'kubernetes-standalone',
      'kubernetes-standalone-session',
      'kubernetes-native-session',
      'kubernetes-operator-session',
    ]);
    expect(sessionKindOf('local')).toBe('local-session');
    expect(sessionKindOf('remote')).toBe('remote-session');
    for (const k of Object.values(TARGET_KINDS))
      if (k.wireKind !== 'kubernetes') expect(targetKindOfWire(k.wireKind)).toBe(k.name);
    for (const mode of KUBERNETES_MODES)
      expect(TARGET_KINDS[kubernetesKindOf(mode)].wireKind).toBe('kubernetes');
    // A session on Kubernetes deploys its jobs as a local session does: the same steps, shared cluster.
    const session = TARGET_KINDS[kubernetesKindOf('standalone', true)];
    expect(session).toMatchObject({ wireKind: 'kubernetes', managed: true, deployment: 'session-job' });
    expect(session.deploySteps).toEqual(TARGET_KINDS['local-session'].deploySteps);
    // The operator's session: each run is a FlinkSessionJob made as an application's program is.
    const operator = TARGET_KINDS[kubernetesKindOf('operator', true)];
    expect(operator).toMatchObject({
      name: 'kubernetes-operator-session',
      deployment: 'application-cluster',
    });
    expect(operator.deploySteps.sql).toEqual([
      'write SQL runner plan',
      'prepare cluster files',
      'apply FlinkSessionJob',
      'session JobManager pod running',
      'session TaskManager pods running',
      'wait until running',
    ]);
    expect(operator.deploySteps.jar).toEqual(operator.deploySteps.sql!.slice(1));
    // No upgrade in place: an upgrade stops with a savepoint and starts a new FlinkSessionJob from it.
    expect(upgradeWay(operator, true)).toBe('stop-and-start');
    // Flink's native session deploys its jobs as the standalone session does (its SQL Gateway, Flink REST).
    const native = TARGET_KINDS[kubernetesKindOf('native', true)];
    expect(native).toMatchObject({
      name: 'kubernetes-native-session',
      deployment: 'session-job',
      classpathReachable: true,
    });
    expect(native.deploySteps).toEqual(TARGET_KINDS['local-session'].deploySteps);
  });

  it('says what a deployment is on each kind, and its steps in order', () => {
    expect(targetKind('local-session')).toMatchObject({ managed: true, deployment: 'session-job' });
    expect(targetKind('remote-session')).toMatchObject({ managed: false, deployment: 'session-job' });
    for (const k of ['sql', 'jar'] as const) {
      expect(targetKind('remote-session').deploySteps[k]?.at(-1)).toBe('wait until running');
      expect(targetKind('local-session').deploySteps[k]?.[0]).toBe('prepare cluster');
    }
    expect(targetKind('local-session').deploySteps.jar).toEqual([
      'prepare cluster',
      'upload jar',
      'run jar',
      'wait until running',
    ]);
    expect(targetKind('local-application')).toMatchObject({
      managed: true,
      deployment: 'application-cluster',
      deploySteps: {
        sql: [
          'write SQL runner plan',
          'prepare cluster files',
          'start application cluster',
          'JobManager answers',
          'TaskManagers registered',
          'wait until running',
        ],
        jar: [
          'prepare cluster files',
          'start application cluster',
          'JobManager answers',
          'TaskManagers registered',
          'wait until running',
        ],
      },
    });
  });

  it("deploys on standalone Kubernetes with pod milestones; the native way through Flink's own client", () => {
    expect(targetKind('kubernetes-standalone').deploySteps).toEqual({
      sql: [
        'write SQL runner plan',
        'prepare cluster files',
        'apply resources',
        'JobManager pod running',
        'TaskManager pods running',
        'wait until running',
      ],
      jar: [
        'prepare cluster files',
        'apply resources',
        'JobManager pod running',
        'TaskManager pods running',
        'wait until running',
      ],
    });
    expect(targetKind('kubernetes-standalone').milestones?.pods).toBe(true);
    expect(targetKind('local-application').milestones?.pods).toBe(false);
    expect(targetKind('kubernetes-native').deploySteps.sql).toEqual([
      'write SQL runner plan',
      'prepare cluster files',
      "run Flink's Kubernetes client",
      'JobManager pod running',
      'TaskManager pods running',
      'wait until running',
    ]);
    expect(targetKind('kubernetes-native').deploySteps.jar?.[0]).toBe('prepare cluster files');
    // Its JobManager asks for the TaskManager pods after planning the job: their wait includes that.
    expect(targetKind('kubernetes-native').milestones?.taskManagersAfterProgram).toBe(true);
    expect(targetKind('kubernetes-standalone').milestones?.taskManagersAfterProgram).toBeUndefined();
  });

  it('deploys through the operator by applying a FlinkDeployment, then watching its pods', () => {
    expect(targetKind('kubernetes-operator').deploySteps.sql).toEqual([
      'write SQL runner plan',
      'prepare cluster files',
      'apply FlinkDeployment',
      'JobManager pod running',
      'TaskManager pods running',
      'wait until running',
    ]);
    expect(targetKind('kubernetes-operator').deploySteps.jar?.[0]).toBe('prepare cluster files');
    expect(targetKind('kubernetes-operator').milestones?.pods).toBe(true);
  });

  it('names one local application target per engine', () => {
    expect(localApplicationTargetName('1.20')).toBe('local-application-1.20');
    expect(engineOfLocalApplicationTarget('local-application-2.2')).toBe('2.2');
    expect(engineOfLocalApplicationTarget('local-1.20')).toBeNull();
    expect(engineOfLocalApplicationTarget('local-application-')).toBeNull();
  });
});

describe('how an upgrade goes on each kind', () => {
  it('in place on the operator way when the new version stays on the target; else stop with savepoint and start', () => {
    const operator = TARGET_KINDS['kubernetes-operator'];
    expect(upgradeWay(operator, true)).toBe('in-place');
    expect(upgradeWay(operator, false)).toBe('stop-and-start');
    for (const name of [
      'kubernetes-standalone',
      'local-application',
      'local-session',
      'remote-session',
    ] as const)
      expect(upgradeWay(TARGET_KINDS[name], true)).toBe('stop-and-start');
  });

  it("an upgrade in place has a start's steps, with the spec changed where a start applies a new one", () => {
    const operator = TARGET_KINDS['kubernetes-operator'];
    expect(inPlaceUpgradeSteps(operator, 'sql')).toEqual([
      'write SQL runner plan',
      'prepare cluster files',
      'change FlinkDeployment spec',
      'JobManager pod running',
      'TaskManager pods running',
      'wait until running',
    ]);
    expect(inPlaceUpgradeSteps(operator, 'jar')).toEqual([
      'prepare cluster files',
      'change FlinkDeployment spec',
      'JobManager pod running',
      'TaskManager pods running',
      'wait until running',
    ]);
    expect(inPlaceUpgradeSteps(TARGET_KINDS['kubernetes-standalone'], 'sql')).toBeNull();
  });
});

describe("a job's target when it names none", () => {
  it("is the engine's session cluster in that cluster's space, its local application target in any other", () => {
    // The session cluster not defined yet: it will be made in `default`.
    expect(defaultTargetOf('1.20', 'default', undefined)).toBe('local-1.20');
    expect(defaultTargetOf('1.20', 'team-a', undefined)).toBe('local-application-1.20');
    expect(defaultTargetOf('1.20', 'default', 'default')).toBe('local-1.20');
    expect(defaultTargetOf('1.20', 'team-a', 'default')).toBe('local-application-1.20');
    // Defined in team-a by its owner: team-a's jobs use it, the default space's do not.
    expect(defaultTargetOf('2.2', 'team-a', 'team-a')).toBe('local-2.2');
    expect(defaultTargetOf('2.2', 'default', 'team-a')).toBe('local-application-2.2');
  });
});
