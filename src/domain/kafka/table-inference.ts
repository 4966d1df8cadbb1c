/**
 * A CREATE TABLE for a Kafka topic inferred from sampled message values: JSON objects (nested objects
 * become ROW, arrays ARRAY) or, when the values are not all JSON objects, headerless CSV lines. Types
 * come from the values alone; a column seen with two kinds of value widens (BIGINT and DOUBLE to
 * DOUBLE, anything else to STRING).
 */

import { message, renderMessage, type Message } from '../messages.ts';

export type InferredType =
  | { kind: 'NULL' }
  | { kind: 'BIGINT' }
  | { kind: 'DOUBLE' }
  | { kind: 'BOOLEAN' }
  | { kind: 'STRING' }
  | { kind: 'TIMESTAMP_LTZ' }
  | { kind: 'ROW'; fields: InferredField[] }
  | { kind: 'ARRAY'; element: InferredType };

export interface InferredField {
  name: string;
  type: InferredType;
}

export type ValueFormat = 'json' | 'csv';

export interface TableInference {
  table: string;
  format: ValueFormat;
  columns: InferredField[];
  /** How many sampled values the columns were inferred from (empty values are not counted). */
  sampled: number;
  ddl: string;
}

/** The connection part of the WITH clause: where the topic is and how to reach it. */
export interface KafkaTableSource {
  topic: string;
  bootstrapServers: string;
  /** `properties.*` options a secured connection needs (security.protocol, sasl.*). */
  properties?: Record<string, string>;
}

/** Why no table could be inferred, as a message the console says in its language. */
export class InferenceError extends Error {
  constructor(readonly text: Message) {
    super(renderMessage(text));
  }
}

/** ISO 8601 date-times with a time zone or offset, as JSON producers write instants. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const NULL: InferredType = { kind: 'NULL' };
const STRING: InferredType = { kind: 'STRING' };

/** The type of one JSON value. */
export function typeOfJson(value: unknown): InferredType {
  if (value === null || value === undefined) return NULL;
  if (typeof value === 'boolean') return { kind: 'BOOLEAN' };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'BIGINT' } : { kind: 'DOUBLE' };
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? { kind: 'TIMESTAMP_LTZ' } : STRING;
  if (Array.isArray(value)) return { kind: 'ARRAY', element: value.map(typeOfJson).reduce(mergeTypes, NULL) };
  if (typeof value === 'object')
    return {
      kind: 'ROW',
      fields: Object.entries(value as Record<string, unknown>).map(([name, v]) => ({
        name,
        type: typeOfJson(v),
      })),
    };
  return STRING;
}

/** The type of one CSV field (text). */
export function typeOfCsvField(text: string): InferredType {
  const t = text.trim();
  if (t === '') return NULL;
  if (/^-?\d{1,18}$/.test(t)) return { kind: 'BIGINT' };
  if (/^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(t)) return { kind: 'DOUBLE' };
  if (/^(true|false)$/i.test(t)) return { kind: 'BOOLEAN' };
  if (ISO_INSTANT.test(t)) return { kind: 'TIMESTAMP_LTZ' };
  return STRING;
}

/** The narrowest type both values fit. */
export function mergeTypes(a: InferredType, b: InferredType): InferredType {
  if (a.kind === 'NULL') return b;
  if (b.kind === 'NULL') return a;
  if (a.kind === 'ROW' && b.kind === 'ROW') return { kind: 'ROW', fields: mergeFields(a.fields, b.fields) };
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY')
    return { kind: 'ARRAY', element: mergeTypes(a.element, b.element) };
  if (a.kind === b.kind) return a;
  const numbers = new Set(['BIGINT', 'DOUBLE']);
  if (numbers.has(a.kind) && numbers.has(b.kind)) return { kind: 'DOUBLE' };
  return STRING;
}

/** Fields of both, in the order first seen, each merged with its namesake. */
function mergeFields(a: InferredField[], b: InferredField[]): InferredField[] {
  const out = a.map((f) => ({ ...f }));
  for (const f of b) {
    const same = out.find((o) => o.name === f.name);
    if (same) same.type = mergeTypes(same.type, f.type);
    else out.push({ ...f });
  }
  return out;
}

/** Flink SQL's spelling of a type; a column never seen with a value is STRING. */
export function flinkType(t: InferredType): string {
  switch (t.kind) {
    case 'NULL':
    case 'STRING':
      return 'STRING';
    case 'TIMESTAMP_LTZ':
      return 'TIMESTAMP_LTZ(3)';
    case 'ROW':
      return `ROW<${t.fields.map((f) => `${quoteIdentifier(f.name)} ${flinkType(f.type)}`).join(', ')}>`;
    case 'ARRAY':
      return `ARRAY<${flinkType(t.element)}>`;
    default:
      return t.kind;
  }
}

export const quoteIdentifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A table name from a topic's: letters, digits and underscores, not starting with a digit. */
export function tableNameFor(topic: string): string {
  const name = topic.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `t_${name}` : name || 'topic';
}

/** Splits one CSV line (RFC 4180 quotes, comma separator). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const hasTimestamp = (t: InferredType): boolean =>
  t.kind === 'TIMESTAMP_LTZ' ||
  (t.kind === 'ROW' && t.fields.some((f) => hasTimestamp(f.type))) ||
  (t.kind === 'ARRAY' && hasTimestamp(t.element));

/**
 * Infers the columns and format of a topic's values and renders its CREATE TABLE. Values that are all
 * JSON objects give a JSON table; otherwise every value is read as a CSV line. Refused when no value
 * has content, or the JSON objects have no field.
 */
export function inferTable(values: (string | null)[], source: KafkaTableSource): TableInference {
  const texts = values.filter((v): v is string => v !== null && v.trim() !== '');
  if (texts.length === 0) throw new InferenceError(message('kafka.noValueToInfer', { topic: source.topic }));
  const objects = texts.map(parseJsonObject);
  let format: ValueFormat;
  let columns: InferredField[];
  if (objects.every((o) => o !== undefined)) {
    format = 'json';
    const row = objects.map(typeOfJson).reduce(mergeTypes, NULL);
    columns = row.kind === 'ROW' ? row.fields : [];
    if (columns.length === 0)
      throw new InferenceError(message('kafka.emptyJsonObjects', { topic: source.topic }));
  } else {
    format = 'csv';
    const rows = texts.map((t) => splitCsvLine(t.replace(/\r?\n$/, '')));
    const width = Math.max(...rows.map((r) => r.length));
    columns = Array.from({ length: width }, (_, i) => ({
      name: `f${i}`,
      type: rows.map((r) => typeOfCsvField(r[i] ?? '')).reduce(mergeTypes, NULL),
    }));
  }
  const table = tableNameFor(source.topic);
  const options: [string, string][] = [
    ['connector', 'kafka'],
    ['topic', source.topic],
    ['properties.bootstrap.servers', source.bootstrapServers],
    ['properties.group.id', `sluice-${table}`],
    ['scan.startup.mode', 'earliest-offset'],
    ['format', format],
    ...Object.entries(source.properties ?? {}).map(([k, v]): [string, string] => [`properties.${k}`, v]),
  ];
  if (format === 'json') options.push(['json.ignore-parse-errors', 'true']);
  if (format === 'json' && columns.some((c) => hasTimestamp(c.type)))
    options.push(['json.timestamp-format.standard', 'ISO-8601']);
  if (format === 'csv') options.push(['csv.ignore-parse-errors', 'true']);
  const ddl = [
    `CREATE TABLE ${quoteIdentifier(table)} (`,
    [
      ...columns.map((c) => `  ${quoteIdentifier(c.name)} ${flinkType(c.type)}`),
      // Kafka's record timestamp, read from the record, not the value (unless a field has its name).
      ...(columns.some((c) => c.name === 'kafka_timestamp')
        ? []
        : ["  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL"]),
    ].join(',\n'),
    ') WITH (',
    options.map(([k, v]) => `  ${quoteLiteral(k)} = ${quoteLiteral(v)}`).join(',\n'),
    ');',
  ].join('\n');
  return { table, format, columns, sampled: texts.length, ddl };
}
