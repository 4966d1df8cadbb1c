import fs from 'node:fs';
import type { Command } from 'commander';
import { SASL_MECHANISMS, SECURITY_PROTOCOLS } from '../../domain/kafka/kafka-connection.ts';
import type { KafkaConnectionInput } from '../../contract/kafka.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';

/** One line of a value in a table: newlines shown as ⏎, cut at `max` characters. */
const cell = (v: string | null, max = 80) => {
  if (v === null) return '(null)';
  const flat = v.replace(/\r?\n/g, '⏎');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** `sluice kafka ...`: the local broker, Kafka connections and the topic browser. */
export function kafkaCommands(program: Command, api: () => SluiceApi, say: (l: string) => void): void {
  const kafka = program
    .command('kafka')
    .description('Kafka: the local broker, clusters registered as connections, topics and sample messages');

  kafka
    .command('start')
    .description(
      "start the local Kafka broker (KRaft, on 127.0.0.1; Kafka is fetched with Maven the first time) and register it as connection 'local'",
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const s = await api().kafka.startLocal();
      if (o.json) return printJson(s);
      console.log(
        `local Kafka broker ${s.state} at ${s.bootstrapServers} (Kafka ${s.kafkaVersion ?? '?'}, pid ${s.pid ?? '-'}); registered as connection 'local'; log: ${s.logFile}`,
      );
    });
  kafka
    .command('stop')
    .description('stop the local Kafka broker (its topics are kept for the next start)')
    .action(async () => {
      const s = await api().kafka.stopLocal();
      console.log(`local Kafka broker ${s.state}`);
    });
  kafka
    .command('status')
    .description('the local Kafka broker: state, address, process and log')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const s = await api().kafka.local();
      if (o.json) return printJson(s);
      console.log(
        table(
          [{ ...s, pid: s.pid ?? '-', kafkaVersion: s.kafkaVersion ?? '-' }],
          ['state', 'bootstrapServers', 'kafkaVersion', 'pid', 'restarts', 'logFile'],
        ),
      );
    });

  const connection = kafka.command('connection').description('Kafka clusters registered as connections');
  connection
    .command('add <name>')
    .description(
      'register (or replace) a Kafka cluster; with --sasl-password-stdin the SASL password is read from standard input and stored sealed',
    )
    .requiredOption('--bootstrap-servers <list>', 'host:port of the brokers, comma-separated')
    .option('--security-protocol <protocol>', SECURITY_PROTOCOLS.join(' | '), 'PLAINTEXT')
    .option('--sasl-mechanism <mechanism>', SASL_MECHANISMS.join(' | '))
    .option('--sasl-username <user>', 'the SASL user')
    .option('--sasl-password-stdin', 'read the SASL password from standard input (kept out of shell history)')
    .option('--ssl-ca-file <file>', "a PEM file of the brokers' CA certificates")
    .option('--description <text>', 'what it is')
    .action(
      async (
        name: string,
        o: {
          bootstrapServers: string;
          securityProtocol: string;
          saslMechanism?: string;
          saslUsername?: string;
          saslPasswordStdin?: boolean;
          sslCaFile?: string;
          description?: string;
        },
      ) => {
        // The server names a wrong protocol or mechanism with the values it takes.
        const body = {
          bootstrapServers: o.bootstrapServers
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          securityProtocol: o.securityProtocol,
          ...(o.saslMechanism ? { saslMechanism: o.saslMechanism } : {}),
          ...(o.saslUsername ? { saslUsername: o.saslUsername } : {}),
          ...(o.saslPasswordStdin ? { saslPassword: fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') } : {}),
          ...(o.sslCaFile ? { sslCaCertificate: fs.readFileSync(o.sslCaFile, 'utf8') } : {}),
          ...(o.description === undefined ? {} : { description: o.description }),
        } as KafkaConnectionInput;
        const c = await api().kafka.setConnection(name, body);
        say(
          `Kafka connection ${c.name} saved: ${c.bootstrapServers.join(',')} (${c.securityProtocol}${c.saslMechanism ? ` ${c.saslMechanism} as ${c.saslUsername}` : ''})`,
        );
      },
    );
  connection
    .command('list')
    .description('the registered Kafka connections (passwords are never shown)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const all = await api().kafka.connections();
      if (o.json) return printJson(all);
      console.log(
        table(
          all.map((c) => ({
            ...c,
            bootstrapServers: c.bootstrapServers.join(','),
            sasl: c.saslMechanism ? `${c.saslMechanism} ${c.saslUsername ?? ''}` : '-',
          })),
          ['name', 'bootstrapServers', 'securityProtocol', 'sasl', 'description'],
        ),
      );
    });
  connection
    .command('remove <name>')
    .description('remove a Kafka connection')
    .action(async (name: string) => {
      await api().kafka.deleteConnection(name);
      say(`Kafka connection ${name} removed`);
    });

  kafka
    .command('topics')
    .description('the topics of a connection with their partitions and low/high offsets')
    .option('--connection <name>', 'the Kafka connection', 'local')
    .option('--json', 'print JSON')
    .action(async (o: { connection: string; json?: boolean }) => {
      const topics = await api().kafka.topics(o.connection);
      if (o.json) return printJson(topics);
      console.log(
        table(
          topics.flatMap((t) =>
            t.partitions.map((p) => ({
              topic: t.name,
              partition: p.partition,
              leader: p.leader,
              low: p.low,
              high: p.high,
              messages: p.high - p.low,
            })),
          ),
          ['topic', 'partition', 'leader', 'low', 'high', 'messages'],
        ),
      );
    });

  kafka
    .command('sample <topic>')
    .description(
      'the latest messages of a topic (partition, offset, time, key, value), newest first, and a CREATE TABLE inferred from their JSON or CSV values',
    )
    .option('--connection <name>', 'the Kafka connection', 'local')
    .option('--limit <n>', 'how many messages (1 to 500)', (v) => Number(v), 10)
    .option('--ddl', 'print only the inferred CREATE TABLE (to save as a .sql file)')
    .option('--json', 'print JSON')
    .action(
      async (topic: string, o: { connection: string; limit: number; ddl?: boolean; json?: boolean }) => {
        const s = await api().kafka.sample(o.connection, topic, o.limit);
        if (o.json) return printJson(s);
        if (o.ddl) {
          if (!s.table) {
            say(s.tableProblem ?? 'no CREATE TABLE could be inferred');
            process.exitCode = 1;
            return;
          }
          return console.log(s.table.ddl);
        }
        console.log(
          table(
            s.messages.map((m) => ({ ...m, time: m.timestamp, key: cell(m.key, 24), value: cell(m.value) })),
            ['partition', 'offset', 'time', 'key', 'value'],
          ),
        );
        console.log('');
        if (s.table)
          console.log(
            `-- inferred from ${s.table.sampled} ${s.table.format.toUpperCase()} value(s) of ${topic}\n${s.table.ddl}`,
          );
        else say(s.tableProblem ?? 'no CREATE TABLE could be inferred');
      },
    );
}
