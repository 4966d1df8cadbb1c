import { quoteIdentifier } from '../../../domain/kafka/table-inference.ts';
import type { KafkaConnectionInput, KafkaConnectionView, TopicSampleView } from '../../../contract/kafka.ts';
import { isMessage } from '../../../domain/messages.ts';
import { messageText, type Translate } from './message-text.ts';

/** The connection form's values: brokers as one text, the SASL fields shown for a SASL protocol only. */
export interface KafkaConnectionValues {
  name: string;
  bootstrapServers: string;
  securityProtocol: KafkaConnectionInput['securityProtocol'];
  saslMechanism?: NonNullable<KafkaConnectionInput['saslMechanism']> | null;
  saslUsername?: string;
  saslPassword?: string;
  sslCaCertificate?: string;
  description?: string;
}

const isSasl = (protocol: string | undefined) => !!protocol?.startsWith('SASL_');
const isSsl = (protocol: string | undefined) => !!protocol?.endsWith('SSL');

/** The form's values as the API's input: brokers split on commas and spaces; an empty password keeps the stored one. */
export function kafkaConnectionInput(v: KafkaConnectionValues): KafkaConnectionInput {
  const protocol = v.securityProtocol ?? 'PLAINTEXT';
  const sasl = isSasl(protocol);
  const password = v.saslPassword?.trim();
  const ca = v.sslCaCertificate?.trim();
  return {
    bootstrapServers: v.bootstrapServers.split(/[\s,]+/).filter(Boolean),
    securityProtocol: protocol,
    saslMechanism: sasl ? (v.saslMechanism ?? null) : null,
    saslUsername: sasl ? v.saslUsername?.trim() || null : null,
    // Left out, the server keeps the stored password (it is never sent to the page).
    ...(sasl && password ? { saslPassword: password } : sasl ? {} : { saslPassword: null }),
    sslCaCertificate: isSsl(protocol) && ca ? ca : null,
    description: v.description?.trim() ?? '',
  };
}

/** The form's starting values: a new connection, or the stored one without its password. */
export function kafkaConnectionValues(c: KafkaConnectionView | null): KafkaConnectionValues {
  return {
    name: c?.name ?? '',
    bootstrapServers: (c?.bootstrapServers ?? []).join(', '),
    securityProtocol: c?.securityProtocol ?? 'PLAINTEXT',
    saslMechanism: c?.saslMechanism ?? null,
    saslUsername: c?.saslUsername ?? '',
    saslPassword: '',
    sslCaCertificate: c?.sslCaCertificate ?? '',
    description: c?.description ?? '',
  };
}

/** How the console shows a connection's authentication: protocol, mechanism, user, and the password masked. */
export function connectionSecurity(c: KafkaConnectionView, t: Translate): string {
  const parts: string[] = [c.securityProtocol];
  if (c.saslMechanism) parts.push(c.saslMechanism);
  if (c.saslUsername) parts.push(t('kafka.user', { user: c.saslUsername }));
  if (c.hasSaslPassword) parts.push(t('kafka.passwordMasked'));
  if (c.sslCaCertificate) parts.push(t('kafka.ownCa'));
  return parts.join(' · ');
}

/**
 * A refusal's problems by form field, each in the user's language (the server sends every problem
 * with its code in `details.problems`); fields the form does not have are left to the error above it.
 */
export function problemsByField(
  t: Translate,
  details: Record<string, unknown> | undefined,
  fields: readonly string[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const problems = Array.isArray(details?.problems) ? (details.problems as unknown[]) : [];
  for (const p of problems) {
    if (typeof p !== 'object' || p === null) continue;
    const { field, problem, message } = p as { field?: unknown; problem?: unknown; message?: unknown };
    if (typeof field !== 'string' || !fields.includes(field)) continue;
    const text = isMessage(message) ? messageText(t, message) : typeof problem === 'string' ? problem : null;
    if (text) (out[field] ??= []).push(text);
  }
  return out;
}

/**
 * A value as the page shows it: text as it is, and whether it looks binary. The server decodes every
 * value as UTF-8, so bytes that are not text arrive as replacement characters or control characters.
 */
export function shownValue(value: string | null): { text: string; binary: boolean } {
  if (value === null) return { text: '', binary: false };
  const binary = /\uFFFD|[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(value);
  return { text: value, binary };
}

/** A job's name from a table's: lower-case letters, digits and '-', as job names are. */
export function jobNameFor(table: string): string {
  const name = table
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 55)
    .replace(/-+$/, '');
  return `${name || 'topic'}-job`;
}

/**
 * A new job's SQL from an inferred table: its CREATE TABLE, a print table of the same columns to
 * start from, and the INSERT that reads every column; the user replaces the print table with a sink.
 */
export function newJobFromTable(table: NonNullable<TopicSampleView['table']>): { name: string; sql: string } {
  const sink = `${table.table}_out`;
  const columns = table.columns.map((c) => quoteIdentifier(c.name));
  const sql = [
    table.ddl,
    '',
    '-- Where the rows go: a print table to start from; replace its connector with your sink.',
    `CREATE TABLE ${quoteIdentifier(sink)} (`,
    table.columns.map((c) => `  ${quoteIdentifier(c.name)} ${c.type}`).join(',\n'),
    ') WITH (',
    "  'connector' = 'print'",
    ');',
    '',
    `INSERT INTO ${quoteIdentifier(sink)}`,
    'SELECT',
    columns.map((c) => `  ${c}`).join(',\n'),
    `FROM ${quoteIdentifier(table.table)};`,
    '',
  ].join('\n');
  return { name: jobNameFor(table.table), sql };
}

/** A topic's partitions with how many messages each keeps (high − low). */
export const partitionRows = (
  partitions: { partition: number; leader: number; replicas: number; low: number; high: number }[],
) =>
  [...partitions]
    .sort((a, b) => a.partition - b.partition)
    .map((p) => ({ ...p, messages: Math.max(0, p.high - p.low) }));
