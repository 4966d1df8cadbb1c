import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../application/config.ts';
import { Platform } from '../composition/platform.ts';
import { createDatabase } from '../../test/support/postgres.ts';
import { alertmanagerPayload } from '../../test/support/alerts.ts';
import { inject } from 'vitest';
import { buildServer } from './server.ts';
import { platformPanels } from '../domain/metrics/platform-panels.ts';
import { storedSqlContent } from '../../test/support/job-content.ts';
import { adminToken, injectWith } from '../../test/support/credentials.ts';

/** The API's contract without Flink: OpenAPI, validation, the error shape, health. Both stores. */
describe.each(['sqlite', 'postgres'] as const)('HTTP API on %s', (dialect) => {
  let app: FastifyInstance;
  let platform: Platform;
  let token: string;
  const send = injectWith(
    () => app,
    () => ({ authorization: `Bearer ${token}` }),
  );
  let home: string;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-api-'));
    const databaseUrl =
      dialect === 'postgres'
        ? await createDatabase(inject('postgresAdminUrl'), `sluice_api_${process.pid}`)
        : undefined;
    platform = await Platform.open(
      { ...loadConfig({}), home, databaseUrl, autoStart: false },
      pino({ level: 'silent' }),
    );
    app = await buildServer(platform);
    token = await adminToken(platform);
  });
  afterAll(async () => {
    await app.close();
    await platform.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('serves an OpenAPI 3 document listing the v1 routes', async () => {
    const r = await send({ method: 'GET', url: '/api/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.0.3');
    for (const p of [
      '/api/v1/health',
      '/api/v1/engines',
      '/api/v1/engines/install',
      '/api/v1/targets/{name}/start',
      '/api/v1/jobs',
      '/api/v1/jobs/{name}/start',
      '/api/v1/operations/{id}',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    // A job runs SQL or a jar: only the name is always required (the service refuses neither/both).
    const create = doc.paths['/api/v1/jobs'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(['name']);
    expect(Object.keys(create.properties)).toEqual(
      expect.arrayContaining(['sql', 'jar', 'entryClass', 'args']),
    );
  });

  it('reports store health with its dialect, and where artifacts are kept', async () => {
    const r = await send({ method: 'GET', url: '/api/v1/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'ok',
      store: { status: 'ok', dialect },
      artifactStorage: { kind: 'local', dir: path.join(home, 'artifacts') },
      engines: [],
      targets: [],
      bootstrap: null,
      // Embedded by default, started only once a server listens (`sluice server`): not here.
      prometheus: {
        mode: 'embedded',
        url: null,
        ready: false,
        retention: '15d',
        restarts: { count: 0, recent: [] },
      },
      alertmanager: {
        mode: 'embedded',
        url: null,
        ready: false,
        configFile: path.join(home, 'alertmanager', 'alertmanager.yml'),
      },
    });
    expect(r.json().alertmanager.detail).toMatch(/^the embedded Alertmanager has not been started yet/);
    expect(r.json().prometheus.detail).toMatch(/^the embedded Prometheus has not been started yet/);
    expect(r.json().warnings).toContainEqual(
      expect.objectContaining({ messageCode: 'prometheus.notStarted' }),
    );
  });

  it('answers an invalid body with 400 naming the field', async () => {
    const wrongType = await send({
      method: 'POST',
      url: '/api/v1/jobs',
      payload: { name: 'a', sql: 'x', parallelism: 'two' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'parallelism', in: 'body' },
    });
    expect(wrongType.json().error).toMatchObject({
      message: 'body.parallelism must be integer',
      messageCode: 'request.type',
      messageParams: { where: 'body.parallelism', type: 'integer' },
    });
    const missing = await send({ method: 'POST', url: '/api/v1/jobs', payload: { name: 'a' } });
    expect(missing.json().error).toMatchObject({ code: 'invalid_argument', details: { field: 'sql' } });
    const extra = await send({
      method: 'POST',
      url: '/api/v1/engines/install',
      payload: { version: '1.20', mirror: 'x' },
    });
    expect(extra.statusCode).toBe(400);
    const badVersion = await send({
      method: 'POST',
      url: '/api/v1/engines/install',
      payload: { version: 'latest' },
    });
    expect(badVersion.json().error.details.field).toBe('version');
  });

  it('turns domain errors into the one error shape with the right status', async () => {
    const badName = await send({
      method: 'POST',
      url: '/api/v1/jobs',
      payload: { name: 'Bad_Name', sql: 'INSERT INTO a SELECT 1' },
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toEqual({
      error: {
        code: 'invalid_argument',
        message: expect.stringMatching(/^name: 'Bad_Name' is not a valid job name/),
        details: { field: 'name' },
        messageCode: 'invalid.field',
        messageParams: { field: 'name', problem: { code: 'job.badName', params: { name: 'Bad_Name' } } },
      },
    });
    const noInsert = await send({
      method: 'POST',
      url: '/api/v1/jobs',
      payload: { name: 'a', sql: 'CREATE TABLE t (x INT)' },
    });
    expect(noInsert.json().error.message).toMatch(/no INSERT statement/);
    // A Flink option Flink would refuse is refused when the job is saved, before an engine is even asked for.
    const badOption = await send({
      method: 'POST',
      url: '/api/v1/jobs',
      payload: {
        name: 'a',
        sql: 'INSERT INTO a SELECT 1',
        options: { 'execution.checkpointing.mode': 'TWICE' },
      },
    });
    expect(badOption.statusCode).toBe(400);
    expect(badOption.json().error).toEqual({
      code: 'invalid_argument',
      message: "option 'execution.checkpointing.mode': 'TWICE' is not one of EXACTLY_ONCE, AT_LEAST_ONCE",
      details: { field: 'options.execution.checkpointing.mode' },
      // The same message as a code, for the console to say in its language; Flink's names stay.
      messageCode: 'job.badOption',
      messageParams: {
        key: 'execution.checkpointing.mode',
        problem: {
          code: 'option.notOneOf',
          params: { value: 'TWICE', values: 'EXACTLY_ONCE, AT_LEAST_ONCE' },
        },
      },
    });
    const noEngine = await send({
      method: 'POST',
      url: '/api/v1/jobs',
      payload: { name: 'a', sql: 'INSERT INTO a SELECT 1' },
    });
    expect(noEngine.statusCode).toBe(412);
    expect(noEngine.json().error.message).toMatch(
      /no Flink engine is installed: run `sluice engine install 1\.20` first/,
    );
    const missingJob = await send({ method: 'GET', url: '/api/v1/jobs/nope' });
    expect(missingJob.statusCode).toBe(404);
    expect(missingJob.json().error).toMatchObject({
      code: 'not_found',
      message: "job 'nope' does not exist: list jobs with `sluice job list`",
    });
    const noRoute = await send({ method: 'GET', url: '/api/v1/nothing' });
    expect(noRoute.statusCode).toBe(404);
    expect(noRoute.json()).toEqual({
      error: {
        code: 'route_not_found',
        message: "no route GET /api/v1/nothing: the API's operations are listed at /api/openapi.json",
        details: {},
        messageCode: 'request.noRoute',
        messageParams: { method: 'GET', url: '/api/v1/nothing' },
      },
    });
    const notFlink = await send({ method: 'POST', url: '/api/v1/engines', payload: { home } });
    expect(notFlink.statusCode).toBe(400);
    expect(notFlink.json().error.message).toMatch(/is not a Flink installation: it has no lib\/ folder/);
    expect((await send({ method: 'GET', url: '/api/v1/jobs' })).json()).toEqual([]);
  });

  /** A SQL job as stored, without a version deployed: what the metrics routes count and chart. */
  const storeSqlJob = (name: string) =>
    platform.store.jobs.create(name, storedSqlContent(), 'ann', 'created');
  it('serves its own metrics at /metrics for Prometheus: API answers by route, jobs by state', async () => {
    await storeSqlJob('orders');
    // Earlier tests asked for jobs too: the answers are counted from here.
    const scrape = async () => (await send({ method: 'GET', url: '/metrics' })).body.split('\n');
    const answers = (lines: string[], status: number) =>
      Number(
        lines
          .find((l) =>
            l.startsWith(
              `sluice_http_request_duration_seconds_count{method="GET",route="/api/v1/jobs/:name",status_code="${status}"} `,
            ),
          )
          ?.split(' ')[1] ?? 0,
      );
    const before = await scrape();
    await send({ method: 'GET', url: '/api/v1/jobs/orders' });
    await send({ method: 'GET', url: '/api/v1/jobs/nope' });
    const r = await send({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = r.body.split('\n');
    // With the job's space, which rules per space select.
    expect(lines).toContain(
      'sluice_job_state{job="orders",space="default",target="local-1.20",state="CREATED"} 1',
    );
    expect(lines).toContain('sluice_jobs{state="CREATED"} 1');
    // By route pattern, never by URL: a job's name is not a label of the API's latency.
    expect(answers(lines, 200) - answers(before, 200)).toBe(1);
    expect(answers(lines, 404) - answers(before, 404)).toBe(1);
    expect(r.body).not.toContain('/api/v1/jobs/orders');
    // Outside the JSON API: not in its OpenAPI document.
    const doc = (await send({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
  it("answers a job's charts: 404, 409 before it ran, 400 for a bad range, 503 without a Prometheus; its Grafana dashboard", async () => {
    const job = await storeSqlJob('charted');
    const get = (url: string) => send({ method: 'GET', url: `/api/v1/jobs/${url}` });
    expect((await get('nope/metrics')).statusCode).toBe(404);
    const never = await get('charted/metrics');
    expect(never.statusCode).toBe(409);
    expect(never.json().error).toMatchObject({ messageCode: 'metrics.noFlinkJob' });
    expect((await get('charted/grafana-dashboard')).statusCode).toBe(409);

    const flinkJobId = '0123456789abcdef0123456789abcdef';
    await platform.store.jobs.updateRuntime(job.id, { flinkJobId });
    // The range is checked before Prometheus is asked, naming the field.
    const backwards = await get('charted/metrics?from=2026-12-03T12:00:00Z&to=2026-12-03T11:00:00Z');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error).toMatchObject({ details: { field: 'to' } });
    const many = await get('charted/metrics?from=2026-11-03T12:00:00Z&to=2026-12-03T12:00:00Z&step=1');
    expect(many.statusCode).toBe(400);
    expect(many.json().error.message).toMatch(/^step: a step of 1 s gives 2592001 points per series/);
    expect((await get('charted/metrics?from=soon')).json().error.message).toMatch(
      /^from: 'soon' is not a time/,
    );
    expect((await get('charted/metrics?step=abc')).statusCode).toBe(400);
    expect((await get('charted/metrics?step=0.5')).json().error).toMatchObject({
      details: { field: 'step' },
    });
    // The embedded Prometheus starts once the API listens; this one never did.
    const off = await get('charted/metrics');
    expect(off.statusCode).toBe(503);
    expect(off.json().error).toMatchObject({ messageCode: 'prometheus.notStarted' });

    const dashboard = await get('charted/grafana-dashboard');
    expect(dashboard.statusCode).toBe(200);
    const exprs = dashboard.json().panels.map((p: { targets: { expr: string }[] }) => p.targets[0]!.expr);
    expect(exprs).toEqual((await platform.jobMetrics.panels('charted')).panels.map((p) => p.query));
    expect(exprs[0]).toContain(`job_id=~"${flinkJobId}"`);
  });

  it("lists no pods without Kubernetes targets, and proxies nothing but a Kubernetes target's pods", async () => {
    const pods = await send({ method: 'GET', url: '/api/v1/prometheus/pod-targets' });
    expect(pods.statusCode).toBe(200);
    expect(pods.json()).toEqual([]);
    const metrics = (target: string, pod = 'flink-orders-jm') =>
      send({ method: 'GET', url: `/api/v1/prometheus/pods/${target}/${pod}/metrics` });
    const missing = await metrics('nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'not_found', messageCode: 'target.notFound' });
    await platform.store.targets.save(
      { name: 'far-away', engineVersion: '1.20', restUrl: 'http://127.0.0.1:1', gatewayUrl: null },
      'remote',
    );
    const remote = await metrics('far-away');
    expect(remote.statusCode).toBe(404);
    expect(remote.json().error).toMatchObject({ messageCode: 'prometheus.notKubernetesTarget' });
    expect(remote.json().error.message).toBe(
      'target far-away is a remote-session target, not a Kubernetes one: only the pods of Kubernetes targets are scraped through Sluice (local processes are scraped at their own address, /api/v1/prometheus/targets)',
    );
    expect((await metrics('far-away', 'Not_A_Pod')).statusCode).toBe(400);
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/prometheus/pods/far-away/x/metrics' });
    expect(anonymous.statusCode).toBe(401);
    await platform.store.targets.remove('far-away');
  });

  it("answers the platform's charts: 400 for a bad range, 503 without a Prometheus; its Grafana dashboard", async () => {
    const get = (url: string) => send({ method: 'GET', url: `/api/v1/platform/${url}` });
    expect((await get('metrics?from=soon')).json().error).toMatchObject({ details: { field: 'from' } });
    const off = await get('metrics');
    expect(off.statusCode).toBe(503);
    expect(off.json().error).toMatchObject({ messageCode: 'prometheus.notStarted' });
    const dashboard = await get('grafana-dashboard');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.json()).toMatchObject({ uid: 'sluice-platform', title: 'Sluice platform' });
    const exprs = dashboard.json().panels.map((p: { targets: { expr: string }[] }) => p.targets[0]!.expr);
    expect(exprs).toEqual(platformPanels().map((p) => p.query));
  });

  it('Kafka: the stopped local broker, connections refused field by field, the password never answered, 404s', async () => {
    const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      send({ method, url: `/api/v1/kafka${url}`, ...(payload ? { payload } : {}) });
    const local = await call('GET', '/local');
    expect(local.statusCode).toBe(200);
    expect(local.json()).toMatchObject({ state: 'stopped', pid: null });
    const bad = await call('PUT', '/connections/prod', {
      bootstrapServers: ['nohost'],
      securityProtocol: 'SASL_SSL',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.problems.map((p: { field: string }) => p.field)).toEqual([
      'bootstrapServers',
      'saslMechanism',
      'saslUsername',
      'saslPassword',
    ]);
    // Each problem also as a code, for the console to say in its language at its field.
    expect(bad.json().error.details.problems[0].message).toEqual({
      code: 'kafka.badBroker',
      params: { address: 'nohost' },
    });
    expect(bad.json().error.messageParams.problems.code).toBe('kafka.problems');
    expect((await call('PUT', '/connections/prod', { bootstrapServers: [] })).statusCode).toBe(400);
    expect((await call('PUT', '/connections/local', { bootstrapServers: ['b:9092'] })).statusCode).toBe(409);
    const saved = await call('PUT', '/connections/prod', {
      bootstrapServers: ['b1:9093'],
      securityProtocol: 'SASL_PLAINTEXT',
      saslMechanism: 'PLAIN',
      saslUsername: 'flink',
      saslPassword: 'pass-word-kafka',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain('pass-word-kafka');
    expect(saved.json()).toMatchObject({ name: 'prod', hasSaslPassword: true, saslMechanism: 'PLAIN' });
    expect((await call('GET', '/connections')).json().map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect((await call('GET', '/connections/absent/topics')).statusCode).toBe(404);
    expect((await call('GET', '/connections/prod/topics/orders/sample?limit=0')).statusCode).toBe(400);
    expect((await call('DELETE', '/connections/prod')).statusCode).toBe(204);
    expect((await call('DELETE', '/connections/prod')).statusCode).toBe(404);
    // A job's consumer lag: 404 for no job, 409 for a job that reads no Kafka table.
    const lag = (job: string) => send({ method: 'GET', url: `/api/v1/jobs/${job}/kafka-lag` });
    expect((await lag('nope')).statusCode).toBe(404);
    await storeSqlJob('no-kafka');
    const none = await lag('no-kafka');
    expect(none.statusCode).toBe(409);
    expect(none.json().error).toMatchObject({ messageCode: 'kafkaLag.noKafkaSource' });
  });

  it('alert rules: a wrong field is 400 naming it, an unknown channel 404, and nothing is stored', async () => {
    const put = (name: string, body: object) =>
      send({ method: 'PUT', url: `/api/v1/alert-rules/${name}`, payload: body });
    const bad = await put('r1', { kind: 'exploded', channel: 'ops' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ details: { field: 'kind' } });
    const noJob = await put('r1', { kind: 'failed', job: 'nope', channel: 'ops' });
    expect(noJob.statusCode).toBe(404);
    expect(noJob.json().error.message).toMatch(/^job nope does not exist/);
    const noChannel = await put('r1', { kind: 'failed', channel: 'ops' });
    expect(noChannel.statusCode).toBe(404);
    expect(noChannel.json().error).toMatchObject({ details: { channel: 'ops' } });
    expect((await send({ method: 'GET', url: '/api/v1/alert-rules' })).json()).toEqual([]);
    expect((await send({ method: 'GET', url: '/api/v1/alert-rules/r1' })).statusCode).toBe(404);
    expect((await send({ method: 'DELETE', url: '/api/v1/alert-rules/r1' })).statusCode).toBe(404);
    expect((await send({ method: 'GET', url: '/api/v1/alerts?job=orders' })).json()).toEqual([]);
    // Alertmanager's webhook: version 4 only; alerts of rules that are not Sluice's are left alone.
    const payload = alertmanagerPayload([{ labels: { alertname: 'NodeDown' }, fingerprint: 'f1' }]);
    const hook = (body: object) =>
      send({ method: 'POST', url: '/api/v1/alerts/alertmanager', payload: body });
    expect((await hook(payload)).json()).toEqual({ received: 0, delivered: 0 });
    const v3 = await hook({ ...payload, version: '3' });
    expect(v3.statusCode).toBe(400);
    expect(v3.json().error).toMatchObject({ details: { field: 'version' } });
  });
});
