/**
 * Who may call each operation of the contract, in one table (issue 15 item 2): the authorization
 * plugin (src/http/plugins/authorization.ts) reads it from each operation's config, and the contract
 * test fails on an operation without one. Kafka connections, alert channels, engines and the local
 * Kafka are platform-wide (shared by every space): any user reads them, platform admins change them.
 * Viewers never run anything: no debug run nor planner run (explain, script lineage), so none that
 * references a secret; the option changes between Flink versions read only the text they are sent,
 * so any user may ask for them, and a syntax check any member of the space whose variables and file
 * folders judge it.
 */
import { declareAccess, ADMIN, PUBLIC, SIGNED_IN, on } from './operation.ts';
import { targets } from './targets.ts';
import { engines, operations } from './engines.ts';
import { events } from './events.ts';
import { health } from './health.ts';
import { jobs } from './jobs.ts';
import { sql } from './sql.ts';
import { workspace } from './workspace.ts';
import { artifacts } from './artifacts.ts';
import { jobMetrics, platformMetrics, prometheus } from './prometheus.ts';
import { jobKafkaLag, kafka } from './kafka.ts';
import { alertChannels } from './alert-channels.ts';
import { alertRules } from './alert-rules.ts';
import { access } from './access.ts';
import { audit } from './audit.ts';
import { profiles } from './profiles.ts';
import { spaces } from './spaces.ts';

const viewJob = on('view', 'job');
/** The session target a catalog operation asks (`?target=`, and `?cluster=` as scripts before the rename send it). */
const onTarget = { target: 'target', cluster: 'target' } as const;

declareAccess(health, { get: PUBLIC });
declareAccess(engines, {
  list: SIGNED_IN,
  install: ADMIN,
  register: ADMIN,
  catalogTypes: SIGNED_IN,
  setDefault: ADMIN,
});
declareAccess(operations, { get: SIGNED_IN });
declareAccess(targets, {
  list: on('view', 'none', { lists: 'target' }),
  define: on('manage', 'body', { creates: { kind: 'target', name: 'param' } }),
  registerRemote: on('manage', 'body', { creates: { kind: 'target', name: 'body' } }),
  registerKubernetes: on('manage', 'body', { creates: { kind: 'target', name: 'body' } }),
  remove: on('manage', 'target'),
  get: on('view', 'target'),
  kubernetesCluster: on('view', 'target'),
  resources: on('view', 'target'),
  quota: on('view', 'target'),
  setQuota: ADMIN,
  clearQuota: ADMIN,
  start: on('manage', 'target'),
  stop: on('manage', 'target'),
});
declareAccess(jobs, {
  list: on('view', 'none', { lists: 'job' }),
  create: on('change', 'body', { creates: { kind: 'job', name: 'body' } }),
  get: viewJob,
  update: on('change', 'job'),
  remove: on('change', 'job'),
  // The copy lands in the space of the job it copies.
  copy: on('change', 'job', { creates: { kind: 'job', name: 'body' } }),
  versions: viewJob,
  version: viewJob,
  diff: viewJob,
  rollback: on('change', 'job'),
  start: on('run', 'job'),
  stop: on('run', 'job'),
  cancel: on('run', 'job'),
  upgrade: on('run', 'job'),
  triggerSavepoint: on('run', 'job'),
  savepoints: viewJob,
  render: viewJob,
  optionChanges: on('run', 'job'),
  submissions: viewJob,
  submission: viewJob,
  events: viewJob,
  logs: viewJob,
  log: viewJob,
  exceptions: viewJob,
  graph: viewJob,
  followLog: viewJob,
});
// The stream sends the events of the jobs the caller may view (src/http/routes/events.ts).
declareAccess(events, { stream: on('view', 'none', { lists: 'job' }), streams: SIGNED_IN });
declareAccess(sql, {
  // The space's file folders and variables judge the script: a member of it asks.
  validate: on('view', 'body'),
  explain: on('run', 'body'),
  optionChanges: SIGNED_IN,
  examples: SIGNED_IN,
  example: SIGNED_IN,
  startDebug: on('run', 'bodyJob'),
  debugRuns: on('view', 'none', { lists: 'debugRun' }),
  debugRun: on('view', 'debugRun'),
  stopDebug: on('run', 'debugRun'),
  debugResults: on('view', 'debugRun'),
  lineage: on('run', 'body'),
  graph: on('view', 'none', { lists: 'lineage', queryNames: { job: 'job' } }),
});
declareAccess(workspace, {
  variables: on('view', 'none', { lists: 'variable' }),
  variable: on('view', 'variable'),
  setVariable: on('change', 'body', { creates: { kind: 'variable', name: 'param' } }),
  deleteVariable: on('change', 'variable'),
  catalogs: on('view', 'none', { lists: 'catalog' }),
  catalogTypes: { ...SIGNED_IN, queryNames: onTarget },
  catalog: on('view', 'catalog'),
  setCatalog: on('change', 'body', { creates: { kind: 'catalog', name: 'param' }, queryNames: onTarget }),
  deleteCatalog: on('change', 'catalog'),
  databases: on('view', 'catalog', { queryNames: onTarget }),
  tables: on('view', 'catalog', { queryNames: onTarget }),
  columns: on('view', 'catalog', { queryNames: onTarget }),
});
declareAccess(artifacts, {
  list: on('view', 'none', { lists: 'artifact' }),
  upload: on('change', 'query', { creates: { kind: 'artifact', name: 'artifactUpload' } }),
  fromMaven: on('change', 'body', { creates: { kind: 'artifact', name: 'artifactMaven' } }),
  build: on('change', 'body', { creates: { kind: 'artifact', name: 'artifactBuild' } }),
  get: on('view', 'artifact'),
  delete: on('change', 'artifact'),
  deleteVersion: on('change', 'artifact'),
  jar: on('view', 'artifact'),
  functions: on('view', 'artifact'),
  // The run's own token is the whole authorization (src/http/routes/artifacts.ts).
  submissionListing: PUBLIC,
  submissionFile: PUBLIC,
});
// Prometheus's service discovery and the pods it scrapes through Sluice: the embedded Prometheus's
// token is a platform admin's (a read token).
declareAccess(prometheus, { targets: ADMIN, podTargets: ADMIN, podMetrics: ADMIN });
declareAccess(jobMetrics, { metrics: viewJob, grafanaDashboard: viewJob });
declareAccess(platformMetrics, { metrics: SIGNED_IN, grafanaDashboard: SIGNED_IN });
declareAccess(kafka, {
  local: SIGNED_IN,
  startLocal: ADMIN,
  stopLocal: ADMIN,
  connections: SIGNED_IN,
  connection: SIGNED_IN,
  setConnection: ADMIN,
  deleteConnection: ADMIN,
  topics: SIGNED_IN,
  topic: SIGNED_IN,
  sample: SIGNED_IN,
});
declareAccess(jobKafkaLag, { kafkaLag: viewJob });
declareAccess(alertChannels, {
  list: SIGNED_IN,
  get: SIGNED_IN,
  put: ADMIN,
  remove: ADMIN,
  test: ADMIN,
});
declareAccess(alertRules, {
  list: on('view', 'none', { lists: 'alertRule' }),
  get: on('view', 'alertRule'),
  put: on('change', 'body', { creates: { kind: 'alertRule', name: 'param' } }),
  remove: on('change', 'alertRule'),
  history: on('view', 'none', { lists: 'alert' }),
  // Alertmanager's webhook: its token is a platform admin's.
  alertmanager: ADMIN,
});
declareAccess(access, {
  signIn: PUBLIC,
  signOut: PUBLIC,
  me: SIGNED_IN,
  // One's own password: any signed-in user (a read-only token is refused as for every change).
  changePassword: SIGNED_IN,
  tokens: SIGNED_IN,
  createToken: SIGNED_IN,
  revokeToken: SIGNED_IN,
  // The OpenID Connect sign-in: a browser's navigation before it has a session.
  oidcStart: PUBLIC,
  oidcCallback: PUBLIC,
  users: ADMIN,
  addUser: ADMIN,
  setPassword: ADMIN,
  removeUser: ADMIN,
  directorySync: ADMIN,
});
// A space's owners read the records about its things (`?space=`; a platform admin reads every record,
// those of no space too): records name who did what there and how it was before and after, which is
// the owners' business as the space's managers, not every member's.
declareAccess(audit, { list: on('manage', 'query'), export: on('manage', 'query') });
declareAccess(profiles, {
  ofJob: viewJob,
  set: on('change', 'job'),
  remove: on('change', 'job'),
  active: on('view', 'target'),
  switch: on('manage', 'target'),
  // A scheduled switch is a switch decided ahead: the same role makes it.
  schedule: on('view', 'target'),
  addSchedule: on('manage', 'target'),
  removeSchedule: on('manage', 'target'),
  // A space's switch moves every running job of the space at once, a decision on the space's
  // resources as its quotas are: its owners make it, by hand or ahead; its viewers see it.
  spaceActive: on('view', 'space'),
  spaceSwitch: on('manage', 'space'),
  spaceSchedule: on('view', 'space'),
  addSpaceSchedule: on('manage', 'space'),
  removeSpaceSchedule: on('manage', 'space'),
});
declareAccess(spaces, {
  list: on('view', 'none', { lists: 'space' }),
  create: ADMIN,
  remove: ADMIN,
  members: on('view', 'space'),
  member: on('view', 'space'),
  setMember: on('manage', 'space'),
  removeMember: on('manage', 'space'),
  // A space's owners set its quota, a budget within the targets' quotas only platform admins set.
  quota: on('view', 'space'),
  setQuota: on('manage', 'space'),
  clearQuota: on('manage', 'space'),
  // Members see where their jobs may write; only platform admins say which folders of the machine
  // a space may use (a space's owner could otherwise open any file the cluster's user can).
  fileFolders: on('view', 'space'),
  setFileFolders: ADMIN,
  clearFileFolders: ADMIN,
});
