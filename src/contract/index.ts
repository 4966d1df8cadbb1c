/**
 * The API contract: every operation of /api/v1 with the TypeBox schemas the server validates and
 * answers with. The routes register these objects as they are; the typed client (src/client) takes its
 * types from them. It imports TypeBox and pure domain rules only, so the console's build and the CLI
 * import it without fastify nor server code.
 */
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
// Each operation's access: imported for its declarations.
import './authorization.ts';

export const contract = {
  health,
  engines,
  operations,
  targets,
  jobs,
  events,
  sql,
  workspace,
  artifacts,
  prometheus,
  jobMetrics,
  platformMetrics,
  kafka,
  jobKafkaLag,
  alertChannels,
  alertRules,
  access,
  audit,
  profiles,
  spaces,
};
