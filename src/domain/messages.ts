/**
 * What the platform says to people, as a code with parameters: the server renders the English text
 * from these templates (the CLI, logs and API `message` fields), and the console renders the same
 * code in the user's language. Parameters are text, numbers, or messages of their own.
 * Placeholders are written `{{name}}`, as i18next writes them.
 */
export const MESSAGES = {
  // Why a job is in its state (job events and the job's state reason).
  'lifecycle.requested': '{{kind}} requested by {{author}} (submission #{{submission}})',
  'lifecycle.upgradeFrom': 'upgrade to version {{version}} from savepoint {{savepoint}}',
  'lifecycle.failedAtStep': '{{kind}} failed at step "{{step}}": {{cause}}',
  'lifecycle.failedNoJob': '{{kind}} failed at step "{{step}}": {{cause}}; no Flink job was created',
  'lifecycle.failedJobGone':
    '{{kind}} failed at step "{{step}}": {{cause}}; the job is gone from the cluster',
  'lifecycle.failedJobIs':
    '{{kind}} failed at step "{{step}}": {{cause}}; the job is {{flinkState}} in Flink',
  'lifecycle.jobManagerAnswers': 'the JobManager of cluster {{cluster}} answers at {{url}}',
  'lifecycle.taskManagersRegistered': '{{count}} TaskManager(s) registered on cluster {{cluster}}',
  'lifecycle.running': 'Flink job {{flinkJobId}} is RUNNING with all tasks running (version {{version}})',
  'lifecycle.failureWhileStarting': 'Flink reports {{flinkState}} after a failure: {{cause}}',
  'lifecycle.stoppedWithSavepoint':
    'Flink job {{flinkJobId}} {{flinkState}} after stop-with-savepoint {{savepoint}}',
  'lifecycle.afterCancel': 'Flink job {{flinkJobId}} {{flinkState}} after cancel',
  'lifecycle.cancelRequested': 'cancel requested by {{author}} while the job was {{operation}}',
  'lifecycle.cancelledDuringStart':
    '{{kind}} cancelled by {{author}} after step "{{step}}"; nothing of it keeps running',
  'tracker.clusterSilent': 'cluster {{cluster}} does not answer: {{detail}}; last seen {{state}}',
  'tracker.jobGone':
    'Flink job {{flinkJobId}} no longer exists on cluster {{cluster}}: the cluster was restarted without recovering it',
  'tracker.reports': 'Flink reports {{flinkState}}',
  'tracker.reportsTasks': 'Flink reports {{flinkState}} with {{tasks}}',
  'tracker.reportsCause': 'Flink reports {{flinkState}}: {{cause}}',
  'tracker.cancelledBehind':
    'Flink reports {{flinkState}}: cancelled in Flink directly (its REST API or Web UI), not through Sluice',
  'tracker.answersAgain': '{{reason}} (cluster {{cluster}} answers again)',
  'reconcile.clusterSilent':
    'submission #{{submission}} was interrupted and cluster {{cluster}} does not answer',
  'reconcile.reattached': 're-attached Flink job {{flinkJobId}} after a platform restart ({{flinkState}})',
  'reconcile.rolledBack':
    'start interrupted by a platform restart during "{{step}}" before Flink received the job; start it again',
  'reconcile.flinkReports':
    'after a platform restart interrupted {{kind}} #{{submission}}, Flink reports {{flinkState}}',
  // Why a command is refused.
  'command.busy': 'it is busy: {{operation}}; wait for it to finish',
  'command.unseen': 'the platform cannot see it right now (last seen {{state}}); wait, or cancel it',
  'command.alreadyLive': 'it is already {{state}}; stop it before starting it again',
  'command.alreadyLiveAs':
    'it is already {{state}} as Flink job {{flinkJobId}}; stop it before starting it again',
  'command.notFailed': 'it is {{state}}, not FAILED',
  'command.notRunning': 'it is {{state}}, not running',
  'command.noFlinkJob': 'it has no Flink job',
  'command.savepointNeedsRunning': 'it is {{state}}; a savepoint needs a RUNNING job',
  'command.stopFirst': 'it is {{state}}: stop or cancel it before deleting it',
  'command.refused': 'cannot {{command}} job {{job}}: {{why}}',
  'job.busy': 'job {{job}} is busy: {{operation}} (submission #{{submission}}); wait for it to finish',
  'job.notFound': "job '{{job}}' does not exist: list jobs with `sluice job list`",
  'job.exists': "a job named '{{job}}' already exists: choose another name",
  'job.emptyScript': 'sql: the script is empty',
  'job.changedSince':
    'the job changed since version {{base}} you edited: it is now at version {{current}}. Nothing was saved; reload version {{current}}, reapply your change and save again.',
  'job.noSavepointPath': 'savepoint {{path}} does not exist on this machine',
  'job.notASavepoint':
    '{{path}} holds no savepoint or checkpoint (no _metadata file in it): give the folder of a savepoint (savepoint-...) or a checkpoint (chk-N)',
  'job.noFileSystem':
    'savepoint {{path}} is on {{scheme}}:, for which the engine of cluster {{cluster}} has no file system: add {{add}} to its plugins folder, or give a path it can read',
  'job.noLatestState':
    'job {{job}} has no savepoint or retained checkpoint recorded: start it without --from-savepoint, or give a path',
  // What the request itself got wrong (the API's schema, checked by Ajv: one code per keyword).
  'request.invalid': '{{where}} {{problem}}',
  'request.required': '{{where}} must have the property {{property}}',
  'request.additionalProperties': '{{where}} must not have the property {{property}}',
  'request.type': '{{where}} must be {{type}}',
  'request.minLength': '{{where}} must have at least {{limit}} characters',
  'request.maxLength': '{{where}} must have at most {{limit}} characters',
  'request.minimum': '{{where}} must be at least {{limit}}',
  'request.maximum': '{{where}} must be at most {{limit}}',
  'request.pattern': '{{where}} must match {{pattern}}',
  'request.oneOf': '{{where}} must be one of the allowed forms',
  // Where a request comes from: the Host it was sent to, the page that sent it, who asks.
  'request.hostRefused':
    'Host {{name}} is not a name this server answers to (a guard against DNS rebinding): open it as localhost or by an IP address, or add {{name}} to SLUICE_ALLOWED_HOSTS when Sluice is reached under that name (a reverse proxy, a DNS name).',
  'request.originRefused':
    "{{method}} {{path}} refused: it comes from a page of {{origin}}, not from this server's console ({{own}}). A web page of another site may not change anything here; if {{origin}} is a front-end you trust, add it to SLUICE_ALLOWED_ORIGINS.",
  'request.originHidden':
    "{{method}} {{path}} refused: it comes from a page the browser does not name ({{said}}), not from this server's console. A web page of another site may not change anything here; only the origins listed in SLUICE_ALLOWED_ORIGINS may.",
  'request.preflightRefused':
    "cross-origin requests from {{origin}} are not allowed: only this server's console calls the API from a browser. If {{origin}} is a front-end you trust, add it to SLUICE_ALLOWED_ORIGINS.",
  'request.userClaimInvalid':
    'header x-sluice-user: {{value}} is not a user name (1 to 64 letters, digits and . _ @ $ -); it is recorded only as an unverified claim, so send the OS user name or nothing',
  'server.exposedWithoutAuth':
    'Sluice listens on {{host}}, which other machines can reach, and has no authentication: anyone who reaches it can start, stop and change jobs and read their SQL. Listen on 127.0.0.1 (SLUICE_HOST or --host), or put a reverse proxy that authenticates in front of it.',
  'config.allowedHostInvalid':
    "SLUICE_ALLOWED_HOSTS: '{{entry}}' is not a host name: give the name alone (any port is served), such as sluice.example.com, or .example.com for its subdomains",
  'config.allowedOriginEveryone':
    "SLUICE_ALLOWED_ORIGINS: '{{entry}}' would let every web site change jobs here; list the origins of the front-ends you trust, such as https://ops.example.com",
  'config.allowedOriginInvalid':
    "SLUICE_ALLOWED_ORIGINS: '{{entry}}' is not an origin: give the scheme, host and port only, such as https://ops.example.com",
  // Secrets: why a value cannot be one, and where a secret cannot stand.
  'secret.tooShort': 'it has {{length}} characters, fewer than {{min}}',
  'secret.noLetters': 'it is only digits and punctuation',
  'secret.commonWord': 'it is a common word or programming token',
  'variable.secretRefused':
    'value: variable {{name}} cannot be a secret: {{why}}, so it turns up in ordinary text, which masking it would hide; use a longer, random value (e.g. `openssl rand -base64 24`)',
  'variable.secretWeak':
    'secret {{name}} is weak: {{why}}; it is masked wherever it appears, ordinary text included: set a longer, random value',
  'job.secretInOptionKey':
    'options: the key {{key}} holds the value of secret variable {{variable}}, where a reference cannot stand: remove it',
  'job.secretInField':
    '{{field}}: it holds the value of secret variable {{variable}}, where a reference cannot stand: remove it',
  'request.maxItems': '{{where}} must have at most {{limit}} items',
  'request.maxProperties': '{{where}} must have at most {{limit}} properties',
  'request.propertyName': "{{where}} has the property '{{property}}', whose name {{problem}}",
  // What the request got wrong before any route read it (its size, its URL, its body's type).
  'request.noRoute': "no route {{method}} {{url}}: the API's operations are listed at /api/openapi.json",
  'request.methodNotAllowed': '{{path}} does not take {{method}}: use {{allowed}}',
  'request.payloadTooLarge':
    'the request body is larger than {{limit}} bytes, the most the API takes: send a smaller body (a script of at most {{sqlLimit}} characters)',
  'request.uriTooLong':
    'the URL is {{length}} characters long, more than the {{limit}} the API takes: send long values in a JSON body',
  'request.pathSegmentTooLong':
    'a part of the path {{path}} is longer than {{limit}} characters, more than any name the API knows',
  'request.headersTooLarge':
    'the request line and headers are larger than {{limit}} bytes, the most the server reads: send long values in a JSON body',
  'request.unsupportedMediaType':
    "{{method}} {{path}} takes a JSON body, not '{{type}}': send it with content-type application/json",
  'request.malformedJson': 'the body is not valid JSON: {{detail}}',
  'request.emptyJsonBody':
    'the body is empty but its content-type says application/json: send a JSON value, or no content-type',
  'request.contentLength': 'the body is not as long as its Content-Length header says',
  'request.badUrl': 'the path {{path}} is not valid percent-encoding: encode it with encodeURIComponent',
  'request.timeout': 'the request was not received in time',
  'request.malformed': 'the request is not valid HTTP',
  // Limits of what one request may hold (documented in the OpenAPI document).
  'sql.tooManyStatements':
    '{{field}}: the script has {{count}} statements, more than the {{limit}} one script may have: split it into several jobs',
  'sql.tooLong':
    '{{field}}: the script has {{length}} characters, more than the {{limit}} one script may have: split it into several jobs',
  'job.parallelismOption':
    "option 'parallelism.default' is the job's parallelism field: set parallelism ({{min}} to {{max}}) instead of the option",
  // A local cluster's definition.
  'cluster.memoryNotASize':
    "{{field}}: '{{value}}' is not a memory size as Flink reads it: write a number and a unit such as 1024m, 1536 mb or 2g",
  'cluster.memoryTooSmall':
    '{{field}}: {{value}} is less than {{min}}, the least a {{role}} of Flink starts with: give at least {{min}}',
  'cluster.memoryBareBytes':
    "{{field}}: '{{value}}' has no unit, so Flink reads it as {{value}} bytes, less than the {{min}} a {{role}} needs: did you mean {{value}}m?",
  'cluster.memoryTooLarge':
    "{{field}}: {{value}} is more than this machine's memory ({{machine}}): give at most {{machine}}",
  'cluster.memoryTotalTooLarge':
    "the cluster would take {{total}} of memory (JobManager {{jobManager}}, {{taskManagers}} TaskManager(s) of {{taskManager}} each, SQL Gateway {{gateway}}), more than this machine's {{machine}}: give fewer TaskManagers or less memory",
  'cluster.configKeyInvalid':
    "flinkConfig: the key '{{key}}' is not a Flink option name: use letters, digits, '.', '-' and '_' only (no white space, quotes or control characters)",
  'cluster.configKeyOwnField':
    "flinkConfig: '{{key}}' is set from the cluster's {{field}} field: set {{field}} instead",
  'cluster.configKeyLoopback':
    "flinkConfig: '{{key}}' cannot be set: Sluice binds every local cluster to 127.0.0.1, so that it is never reachable from outside this machine",
  'cluster.portOfOtherCluster':
    '{{field}}: port {{port}} is already the {{otherField}} of cluster {{cluster}}: choose another port',
  'cluster.portOfServer': "{{field}}: port {{port}} is Sluice's own API port: choose another port",
  'cluster.portInUse':
    '{{field}}: port {{port}} is in use by another program on this machine: stop it, or choose another port',
} as const;

export type MessageCode = keyof typeof MESSAGES;
export type MessageParam = string | number | Message;
export interface Message {
  code: MessageCode;
  params: Record<string, MessageParam>;
}

export const message = (code: MessageCode, params: Record<string, MessageParam> = {}): Message => ({
  code,
  params,
});

export const isMessage = (v: unknown): v is Message =>
  typeof v === 'object' && v !== null && typeof (v as Message).code === 'string' && 'params' in v;

/** Fills a template: each `{{name}}` with its parameter, a nested message rendered by `render`. */
export function fillTemplate(
  template: string,
  params: Record<string, MessageParam>,
  render: (m: Message) => string,
): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return isMessage(v) ? render(v) : String(v);
  });
}

/** The English text of a message. */
export function renderMessage(m: Message): string {
  return fillTemplate(MESSAGES[m.code], m.params, renderMessage);
}

/** Each string in a message, changed by `f` (secrets are masked where they enter a value). */
export function mapMessageText(m: Message, f: (s: string) => string): Message {
  const params: Record<string, MessageParam> = {};
  for (const [k, v] of Object.entries(m.params))
    params[k] = typeof v === 'string' ? f(v) : isMessage(v) ? mapMessageText(v, f) : v;
  return { code: m.code, params };
}
