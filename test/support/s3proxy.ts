import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { resolveMavenJar } from '../../src/adapters/artifacts/maven-resolver.ts';
import { findJava } from '../../src/adapters/system/prerequisites.ts';
import { S3_VARIABLES } from '../../src/domain/artifacts/storage-settings.ts';
import { waitFor } from './platform.ts';
import { freePort } from './ports.ts';
import { TEST_BUILDS_DIR } from './test-jars.ts';

/**
 * S3Proxy (https://github.com/gaul/s3proxy): a real S3 API server, with its filesystem backend, for
 * the tests of the S3 artifact storage. Fetched from Maven Central once (kept beside the test builds),
 * run in a JVM of its own on a free port with a temporary folder as its disk.
 */
const S3PROXY = {
  groupId: 'org.gaul',
  artifactId: 's3proxy',
  version: '4.1.0',
  classifier: 'jar-with-dependencies',
};

export interface TestS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A client of the server, as a user of the bucket would have one. */
  client: S3Client;
  createBucket(name: string): Promise<void>;
  /** The keys in a bucket (under `prefix`). */
  keys(bucket: string, prefix?: string): Promise<string[]>;
  get(bucket: string, key: string): Promise<Buffer>;
  put(bucket: string, key: string, bytes: Buffer): Promise<void>;
  /** The SLUICE_ARTIFACT_S3_* variables that point Sluice at `bucket`. */
  env(bucket: string, prefix?: string): Record<string, string>;
  /** Stops the JVM and removes its disk. */
  stop(): Promise<void>;
}

/** The S3Proxy jar, fetched with Maven on first use (SLUICE_MAVEN_MIRROR applies) and kept. */
async function s3proxyJar(): Promise<string> {
  const file = path.join(
    TEST_BUILDS_DIR,
    's3proxy',
    `${S3PROXY.artifactId}-${S3PROXY.version}-${S3PROXY.classifier}.jar`,
  );
  if (fs.existsSync(file)) return file;
  const jar = await resolveMavenJar(S3PROXY, {
    repository: process.env.SLUICE_MAVEN_MIRROR || undefined,
    settingsFile: undefined,
    localRepository: process.env.SLUICE_MAVEN_REPO_LOCAL || undefined,
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  fs.writeFileSync(tmp, jar.bytes);
  fs.renameSync(tmp, file);
  return file;
}

/** Starts S3Proxy on a free port; its identity and credential are random for each run. */
export async function startS3Proxy(): Promise<TestS3> {
  const jar = await s3proxyJar();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-s3proxy-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const accessKeyId = `sluice-test-${randomUUID().slice(0, 8)}`;
  const secretAccessKey = randomUUID();
  const properties = path.join(dir, 's3proxy.properties');
  fs.writeFileSync(
    properties,
    [
      `s3proxy.endpoint=${endpoint}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${accessKeyId}`,
      `s3proxy.credential=${secretAccessKey}`,
      'jclouds.provider=filesystem',
      `jclouds.filesystem.basedir=${data}`,
      `jclouds.identity=${accessKeyId}`,
      `jclouds.credential=${secretAccessKey}`,
      '',
    ].join('\n'),
  );
  const logFile = path.join(dir, 's3proxy.log');
  const log = fs.openSync(logFile, 'a');
  let proxy: ChildProcess | undefined = spawn(
    findJava().path,
    // C1 only: a JVM that lives for one test file never earns C2's compile time back.
    ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', jar, '--properties', properties],
    { stdio: ['ignore', log, log] },
  );
  let exited = false;
  proxy.once('exit', () => (exited = true));
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const stop = async () => {
    client.destroy();
    if (proxy) {
      const p = proxy;
      proxy = undefined;
      if (!exited) {
        const gone = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        const killed = setTimeout(() => p.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(killed);
      }
    }
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `S3Proxy on ${endpoint}`,
      async () => {
        if (exited) throw new Error(`S3Proxy exited: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
        // Any HTTP answer (403 without a signature) means it serves.
        return fetch(endpoint, { signal: AbortSignal.timeout(1000) }).then(() => true);
      },
      60_000,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async keys(bucket, prefix) {
      const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (r.Contents ?? []).map((o) => o.Key!).sort();
    },
    async get(bucket, key) {
      const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await r.Body!.transformToByteArray());
    },
    async put(bucket, key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    env: (bucket, prefix) => ({
      [S3_VARIABLES.endpoint]: endpoint,
      [S3_VARIABLES.bucket]: bucket,
      ...(prefix ? { [S3_VARIABLES.prefix]: prefix } : {}),
      [S3_VARIABLES.accessKeyId]: accessKeyId,
      [S3_VARIABLES.secretAccessKey]: secretAccessKey,
    }),
    stop,
  };
}
