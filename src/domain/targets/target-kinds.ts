/**
 * The registry of deployment target kinds. Each kind says what its deployments are made of: the
 * steps a submission shows are the kind's own, so that they say what really happens there. The
 * session kinds are here now; `local-application` and the Kubernetes kinds register later.
 */
export type TargetKindName = 'local-session' | 'remote-session';

export interface TargetKind {
  name: TargetKindName;
  /** How the HTTP API and the CLI still name it ('local' | 'remote'), until the contract says the kind. */
  wireKind: 'local' | 'remote';
  /** Sluice runs its processes (and starts them on demand), or only reaches it by address. */
  managed: boolean;
  /**
   * What one job's deployment is on this kind, which says how the submission deploys it: a job in a
   * shared session cluster now; 'application-cluster' joins with the local application kind.
   */
  deployment: 'session-job';
  /** The steps of a start after "resolve version" and "validate", in order; bracketed ones are optional. */
  deploySteps: readonly string[];
}

/** A job on a session cluster goes through its SQL Gateway: one session with the job's options. */
const SESSION_DEPLOY_STEPS = [
  'prepare cluster',
  'open SQL session',
  '[add jars]',
  '[create catalogs]',
  'create tables',
  'plan',
  'submit',
  'wait until running',
] as const;

export const TARGET_KINDS: Record<TargetKindName, TargetKind> = {
  'local-session': {
    name: 'local-session',
    wireKind: 'local',
    managed: true,
    deployment: 'session-job',
    deploySteps: SESSION_DEPLOY_STEPS,
  },
  'remote-session': {
    name: 'remote-session',
    wireKind: 'remote',
    managed: false,
    deployment: 'session-job',
    deploySteps: SESSION_DEPLOY_STEPS,
  },
};

export function targetKind(name: TargetKindName): TargetKind {
  return TARGET_KINDS[name];
}

/** The registry's kind of a cluster as the store and the API name it today. */
export const sessionKindOf = (wire: 'local' | 'remote'): TargetKindName =>
  wire === 'local' ? 'local-session' : 'remote-session';
