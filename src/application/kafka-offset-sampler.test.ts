import { describe, expect, it, vi } from 'vitest';
import { SluiceError } from '../domain/errors.ts';
import { KafkaOffsetSampler, type SampledJob } from './kafka-offset-sampler.ts';
import type { SourceTopic } from './kafka-lag.ts';
import type { KafkaService } from './kafka-service.ts';

const ID = 'a'.repeat(32);
const job = (name: string, kind: 'sql' | 'jar' = 'sql'): SampledJob => ({
  name,
  kind,
  sql: '',
  space: 'default',
  flinkJobId: ID,
});

function sampler(opts: {
  jobs: SampledJob[];
  topics: Record<string, SourceTopic[] | Error>;
  offsets?: KafkaService['partitionOffsets'];
}) {
  const asked: { connection: string; topics: string[]; groups: { groupId: string; topic: string }[] }[] = [];
  const said: string[] = [];
  const s = new KafkaOffsetSampler(
    async () => opts.jobs,
    {
      sourceTopics: async (j) => {
        const t = opts.topics[(j as SampledJob).name]!;
        if (t instanceof Error) throw t;
        return { topics: t, problems: [] };
      },
    },
    {
      partitionOffsets:
        opts.offsets ??
        (async (connection, topics, groups) => {
          asked.push({ connection, topics, groups });
          return {
            ends: topics.flatMap((topic) => [0, 1].map((partition) => ({ topic, partition, end: 50 }))),
            committed: groups.map((g) => ({ ...g, partition: 0, offset: 45 })),
          };
        }),
    },
    { warn: (l) => said.push(`warn ${l}`), info: (l) => said.push(`info ${l}`) },
  );
  return { s, asked, said };
}

describe("sampling the running jobs' Kafka partitions", () => {
  it('asks each connection once per round, for every job’s topics and groups', async () => {
    const { s, asked } = sampler({
      jobs: [job('views'), job('copy'), job('jar', 'jar')],
      topics: {
        views: [{ topic: 'page-views', connection: 'local', groupId: 'g1' }],
        copy: [{ topic: 'page-views', connection: 'local', groupId: 'g2' }],
        // A JAR job's group is not known; a topic on no connection is not sampled.
        jar: [
          { topic: 'orders', connection: 'local', groupId: null },
          { topic: 'x', connection: null, groupId: null },
        ],
      },
    });
    const samples = await s.sample();
    expect(asked).toEqual([
      {
        connection: 'local',
        topics: ['orders', 'page-views'],
        groups: [
          { groupId: 'g1', topic: 'page-views' },
          { groupId: 'g2', topic: 'page-views' },
        ],
      },
    ]);
    expect(samples.map((p) => [p.job, p.topic, p.partition, p.end, p.group, p.lag])).toEqual([
      ['views', 'page-views', 0, 50, 'g1', 5],
      // Partition 1: the group committed nothing there.
      ['views', 'page-views', 1, 50, 'g1', null],
      ['copy', 'page-views', 0, 50, 'g2', 5],
      ['copy', 'page-views', 1, 50, 'g2', null],
      ['jar', 'orders', 0, 50, null, null],
      ['jar', 'orders', 1, 50, null, null],
    ]);
    expect(samples[0]).toMatchObject({ flinkJobId: ID, space: 'default', connection: 'local' });
  });

  it('logs a broker that does not answer, and a job whose sources cannot be read, once each; throws nothing', async () => {
    const { s, said } = sampler({
      jobs: [job('views'), job('broken')],
      topics: {
        views: [{ topic: 'page-views', connection: 'local', groupId: 'g' }],
        broken: new Error('the SQL could not be read'),
      },
      offsets: async () => {
        throw new SluiceError(
          'engine_unavailable',
          "Kafka connection 'local' (127.0.0.1:9092) did not answer",
        );
      },
    });
    expect(await s.sample()).toEqual([]);
    expect(await s.sample()).toEqual([]);
    expect(said).toEqual([
      'warn the Kafka sources of job broken were not read: the SQL could not be read',
      "warn Kafka connection local was not sampled: Kafka connection 'local' (127.0.0.1:9092) did not answer",
    ]);
  });

  it('keeps the last round for /metrics while running, and nothing once stopped', async () => {
    const { s } = sampler({
      jobs: [job('views')],
      topics: { views: [{ topic: 'page-views', connection: 'local', groupId: 'g' }] },
    });
    s.start(60_000);
    // The first round runs at once.
    await vi.waitFor(() => expect(s.samples()).toHaveLength(2));
    await s.stop();
    expect(s.samples()).toEqual([]);
  });
});
