import { health as H } from '../contract/health.ts';
import { artifactsClient } from './artifacts.ts';
import { alertRulesClient } from './alert-rules.ts';
import { targetsClient } from './targets.ts';
import { enginesClient } from './engines.ts';
import { eventsClient } from './events.ts';
import { Transport, type ClientOptions } from './http.ts';
import { jobsClient } from './jobs.ts';
import { kafkaClient } from './kafka.ts';
import { operationsClient } from './operations.ts';
import { prometheusClient } from './prometheus.ts';
import { sqlClient } from './sql.ts';
import { workspaceClient } from './workspace.ts';
import { alertChannelsClient } from './alert-channels.ts';
import { accessClient } from './access.ts';
import { auditClient } from './audit.ts';
import { profilesClient } from './profiles.ts';
import { spacesClient } from './spaces.ts';

/**
 * The one typed client of the API, used by the CLI and the console: one module per domain, every
 * answer typed from the contract's response schemas (src/contract), which the server's routes register.
 */
export function createClient(options: ClientOptions) {
  const t = new Transport(options);
  return {
    baseUrl: t.baseUrl,
    /** The server's health and version (`GET /health`). */
    health: (signal?: AbortSignal) => t.call(H.get, signal ? { signal } : {}),
    engines: enginesClient(t),
    operations: operationsClient(t),
    targets: targetsClient(t),
    jobs: jobsClient(t),
    events: eventsClient(t),
    sql: sqlClient(t),
    workspace: workspaceClient(t),
    artifacts: artifactsClient(t),
    prometheus: prometheusClient(t),
    kafka: kafkaClient(t),
    alertChannels: alertChannelsClient(t),
    alerts: alertRulesClient(t),
    access: accessClient(t),
    audit: auditClient(t),
    profiles: profilesClient(t),
    spaces: spacesClient(t),
  };
}

export type SluiceClient = ReturnType<typeof createClient>;
export { ApiError, type ClientOptions, type ServerError } from './http.ts';
export { SseStream, type SseFrame } from './sse.ts';
