/**
 * Version mapping of connector options and configuration keys. When a Flink SQL job moves between Flink
 * versions, table options (`WITH (...)`) and configuration keys (`SET '...' = '...'`, the job's own
 * configuration map) that were renamed, removed or deprecated in between are reported, and the ones
 * with a safe one-to-one replacement can be rewritten. Every entry below was checked against the
 * Flink sources or release notes named in its `source`; nothing is inferred.
 *
 * Pure: no I/O, no framework. Rewriting only touches the quoted key and value of an affected option,
 * so comments, spacing and everything else in the script stay byte for byte as they were.
 */
import { parseSet, readSet, splitStatements } from './statements.ts';
import { readCreateTable } from './table-ddl.ts';
import { tokenize, type Token } from './tokens.ts';

export interface OptionChange {
  /** connector = WITH option of a given connector; format = format option in WITH; config = SET key / job option. */
  scope: 'connector' | 'format' | 'config';
  /**
   * For scope 'connector': the connector identifier(s) the option belongs to, comma separated alternatives
   * ('kafka,upsert-kafka'); for scope 'format': the format identifier(s), or null for any format; null for config.
   */
  connector: string | null;
  /** Option key before. */
  from: string;
  /** New key, or null when removed without replacement. */
  to: string | null;
  /** Flink version where the old key stops working or is deprecated, e.g. '1.14', '2.0'. */
  since: string;
  kind: 'renamed' | 'removed' | 'deprecated';
  /** Value mapping (lower-case old value -> new value) when values changed too; unmapped values are not rewritten. */
  values?: Record<string, string>;
  /** One sentence a user understands. */
  note: string;
  /** Where this was verified (URL or repo path). */
  source: string;
  /** false when renaming the key alone would change behaviour, so the finding is reported but never rewritten. */
  autoRewrite?: false;
}

export interface OptionFinding {
  /** 1-based position of the option key in the script. */
  line: number;
  column: number;
  /** Table of the CREATE TABLE statement, null for SET. */
  table: string | null;
  key: string;
  value: string;
  change: OptionChange;
  rewritable: boolean;
}

// ---------------------------------------------------------------------------------------------
// Sources (paths in the named GitHub repositories, read via the code index)
// ---------------------------------------------------------------------------------------------

const RN_1_14 = 'apache/flink docs/content/release-notes/flink-1.14.md (FLINK-23513)';
const RN_1_20 = 'apache/flink docs/content/release-notes/flink-1.20.md';
const RN_2_0 = 'apache/flink docs/content/release-notes/flink-2.0.md (list of removed configuration options)';
const KAFKA_LEGACY =
  'apache/flink flink-connectors/flink-connector-kafka-base/src/main/java/org/apache/flink/table/descriptors/KafkaValidator.java';
const KAFKA_DOC = 'apache/flink-connector-kafka docs/content/docs/connectors/table/kafka.md';
const ES_LEGACY =
  'apache/flink flink-connectors/flink-connector-elasticsearch-base/src/main/java/org/apache/flink/table/descriptors/ElasticsearchValidator.java';
const ES_DOC = 'apache/flink-connector-elasticsearch docs/content/docs/connectors/table/elasticsearch.md';
const JSON_LEGACY =
  'apache/flink flink-formats/flink-json/src/main/java/org/apache/flink/table/descriptors/JsonValidator.java';
const CSV_LEGACY =
  'apache/flink flink-formats/flink-csv/src/main/java/org/apache/flink/table/descriptors/CsvValidator.java';
const CSV_DOC = 'apache/flink docs/content/docs/connectors/table/formats/csv.md';
const JDBC_DOC =
  'apache/flink-connector-jdbc docs/content/docs/connectors/table/jdbc.md (Deprecated Options); apache/flink#20884 (FLINK-29389)';
const CHECKPOINTING = `${RN_1_20} (FLINK-34255); flink-core/src/main/java/org/apache/flink/configuration/CheckpointingOptions.java (2.x, withDeprecatedKeys)`;
const STATE_RECOVERY = `${RN_1_20} (FLINK-34255); apache/flink flink-core/src/main/java/org/apache/flink/configuration/StateRecoveryOptions.java`;
const YAML_SUFFIX = 'apache/flink#20867 (FLINK-29372, suffix for keys that are a prefix of other keys)';

/** The 1.14 removal of a connector's legacy `connector.*` descriptor options. */
const legacyOf =
  (connector: string, docs: string) =>
  (from: string, to: string | null, note: string, values?: Record<string, string>): OptionChange => ({
    scope: 'connector',
    connector,
    from,
    to,
    since: '1.14',
    kind: to === null ? 'removed' : 'renamed',
    ...(values ? { values } : {}),
    note,
    source: `${RN_1_14}; ${docs}`,
  });
const legacyKafka = legacyOf('kafka', `${KAFKA_LEGACY}; ${KAFKA_DOC}`);
const legacyEs = legacyOf('elasticsearch', `${ES_LEGACY}; ${ES_DOC}`);

function config(
  from: string,
  to: string | null,
  since: string,
  kind: OptionChange['kind'],
  note: string,
  source: string,
): OptionChange {
  return { scope: 'config', connector: null, from, to, since, kind, note, source };
}

export const OPTION_CHANGES: readonly OptionChange[] = [
  // --- Kafka: legacy descriptor options (FLIP-122 replaced them in 1.11; removed in 1.14) ---
  legacyKafka(
    'connector.type',
    'connector',
    "The legacy 'connector.type' option was removed; the new Kafka connector is selected with 'connector'.",
    { kafka: 'kafka' },
  ),
  legacyKafka(
    'connector.version',
    null,
    "The new 'kafka' connector is universal and has no version option; delete 'connector.version'.",
  ),
  legacyKafka('connector.topic', 'topic', "The legacy 'connector.topic' option is now 'topic'."),
  legacyKafka(
    'connector.properties.bootstrap.servers',
    'properties.bootstrap.servers',
    "Kafka client properties lost the 'connector.' prefix.",
  ),
  legacyKafka(
    'connector.properties.group.id',
    'properties.group.id',
    "Kafka client properties lost the 'connector.' prefix.",
  ),
  legacyKafka(
    'connector.startup-mode',
    'scan.startup.mode',
    "The startup mode is now 'scan.startup.mode' with the same values.",
  ),
  legacyKafka(
    'connector.specific-offsets',
    'scan.startup.specific-offsets',
    "Specific startup offsets are now 'scan.startup.specific-offsets' in the same 'partition:0,offset:42;...' form.",
  ),
  legacyKafka(
    'connector.sink-partitioner',
    'sink.partitioner',
    "The sink partitioner is now 'sink.partitioner'; a custom partitioner is given by its class name there.",
    { fixed: 'fixed', 'round-robin': 'round-robin' },
  ),
  {
    scope: 'connector',
    connector: 'kafka',
    from: 'sink.semantic',
    to: 'sink.delivery-guarantee',
    since: '1.14',
    kind: 'deprecated',
    values: { 'exactly-once': 'exactly-once', 'at-least-once': 'at-least-once', none: 'none' },
    note: "'sink.semantic' is deprecated since the Kafka table sink moved to KafkaSink; use 'sink.delivery-guarantee'.",
    source: `${KAFKA_DOC}; apache/flink-connector-kafka flink-connector-kafka/src/main/java/org/apache/flink/streaming/connectors/kafka/table/KafkaDynamicTableFactory.java (validateDeprecatedSemantic); apache/flink#16769 (FLINK-23639)`,
  },

  // --- Elasticsearch: legacy descriptor options (removed in 1.14) ---
  {
    ...legacyEs(
      'connector.type',
      'connector',
      "The legacy Elasticsearch connector was removed; use 'connector' = 'elasticsearch-6' or 'elasticsearch-7' to match 'connector.version'.",
    ),
    // The new value depends on 'connector.version', which a per-option rewrite cannot see.
    autoRewrite: false,
  },
  legacyEs(
    'connector.version',
    null,
    "The Elasticsearch version is now part of the 'connector' value; delete 'connector.version'.",
  ),
  legacyEs('connector.hosts', 'hosts', "The legacy 'connector.hosts' option is now 'hosts'."),
  legacyEs('connector.index', 'index', "The legacy 'connector.index' option is now 'index'."),
  legacyEs(
    'connector.document-type',
    'document-type',
    "The legacy 'connector.document-type' option is now 'document-type' (only needed for elasticsearch-6).",
  ),
  legacyEs(
    'connector.key-delimiter',
    'document-id.key-delimiter',
    "The key delimiter is now 'document-id.key-delimiter'.",
  ),
  legacyEs(
    'connector.flush-on-checkpoint',
    'sink.flush-on-checkpoint',
    "Flush on checkpoint is now 'sink.flush-on-checkpoint'.",
  ),
  legacyEs(
    'connector.bulk-flush.max-actions',
    'sink.bulk-flush.max-actions',
    "Bulk flush options moved under 'sink.bulk-flush.'.",
  ),
  legacyEs(
    'connector.bulk-flush.max-size',
    'sink.bulk-flush.max-size',
    "Bulk flush options moved under 'sink.bulk-flush.'.",
  ),
  legacyEs(
    'connector.bulk-flush.interval',
    'sink.bulk-flush.interval',
    "Bulk flush options moved under 'sink.bulk-flush.'.",
  ),
  legacyEs(
    'connector.bulk-flush.backoff.type',
    'sink.bulk-flush.backoff.strategy',
    "The backoff type is now 'sink.bulk-flush.backoff.strategy' with upper-case values.",
    { disabled: 'DISABLED', constant: 'CONSTANT', exponential: 'EXPONENTIAL' },
  ),
  legacyEs(
    'connector.connection-path-prefix',
    'connection.path-prefix',
    "The REST path prefix is now 'connection.path-prefix'.",
  ),
  {
    scope: 'connector',
    connector: 'kafka,elasticsearch',
    from: 'update-mode',
    to: null,
    since: '1.14',
    kind: 'removed',
    note: "'update-mode' belonged to the removed descriptor stack; the new connectors derive append/upsert from the query and primary key.",
    source: `${RN_1_14}; ${ES_LEGACY}`,
  },

  // --- JDBC: lookup cache options (FLIP-221); renaming alone would disable the cache ---
  ...(
    [
      ['lookup.cache.max-rows', 'lookup.partial-cache.max-rows'],
      ['lookup.cache.ttl', 'lookup.partial-cache.expire-after-write'],
      ['lookup.cache.caching-missing-key', 'lookup.partial-cache.cache-missing-key'],
    ] as const
  ).map(([from, to]): OptionChange => ({
    scope: 'connector',
    connector: 'jdbc',
    from,
    to,
    since: '1.16',
    kind: 'deprecated',
    note: `'${from}' is deprecated; set 'lookup.cache' = 'PARTIAL' and use '${to}' instead.`,
    source: JDBC_DOC,
    // The new key only takes effect together with 'lookup.cache' = 'PARTIAL'.
    autoRewrite: false,
  })),

  // --- Legacy format options (removed with the descriptor stack in 1.14) ---
  {
    scope: 'format',
    connector: null,
    from: 'format.type',
    to: 'format',
    since: '1.14',
    kind: 'renamed',
    values: { json: 'json', csv: 'csv' },
    note: "The legacy 'format.type' option was removed; the format is selected with 'format'.",
    source: `${RN_1_14}; ${JSON_LEGACY}; ${CSV_DOC}`,
  },
  {
    scope: 'format',
    connector: null,
    from: 'format.derive-schema',
    to: null,
    since: '1.14',
    kind: 'removed',
    note: "New formats always derive their schema from the table; delete 'format.derive-schema'.",
    source: `${RN_1_14}; ${JSON_LEGACY}`,
  },
  {
    scope: 'format',
    connector: 'json',
    from: 'format.fail-on-missing-field',
    to: 'json.fail-on-missing-field',
    since: '1.14',
    kind: 'renamed',
    note: "JSON format options are now prefixed with 'json.'.",
    source: `${RN_1_14}; ${JSON_LEGACY}; ${KAFKA_DOC}`,
  },
  {
    scope: 'format',
    connector: 'json',
    from: 'format.ignore-parse-errors',
    to: 'json.ignore-parse-errors',
    since: '1.14',
    kind: 'renamed',
    note: "JSON format options are now prefixed with 'json.'.",
    source: `${RN_1_14}; ${JSON_LEGACY}; ${KAFKA_DOC}`,
  },
  {
    scope: 'format',
    connector: 'csv',
    from: 'format.ignore-parse-errors',
    to: 'csv.ignore-parse-errors',
    since: '1.14',
    kind: 'renamed',
    note: "CSV format options are now prefixed with 'csv.'.",
    source: `${RN_1_14}; ${CSV_LEGACY}; ${CSV_DOC}`,
  },
  {
    scope: 'format',
    connector: 'csv',
    from: 'format.field-delimiter',
    to: 'csv.field-delimiter',
    since: '1.14',
    kind: 'renamed',
    note: "CSV format options are now prefixed with 'csv.'.",
    source: `${RN_1_14}; ${CSV_LEGACY}; ${CSV_DOC}`,
  },

  // --- Configuration keys that clashed with standard YAML got a suffix; old keys stay as deprecated keys ---
  config(
    'state.backend',
    'state.backend.type',
    '1.16',
    'deprecated',
    "'state.backend' is a deprecated key of 'state.backend.type'.",
    `${YAML_SUFFIX}; apache/flink flink-core/src/main/java/org/apache/flink/configuration/StateBackendOptions.java`,
  ),
  config(
    'restart-strategy',
    'restart-strategy.type',
    '1.16',
    'deprecated',
    "'restart-strategy' is a deprecated key of 'restart-strategy.type'.",
    `${YAML_SUFFIX}; flink-core/src/main/java/org/apache/flink/configuration/RestartStrategyOptions.java (2.x)`,
  ),

  // --- 1.20 reorganised checkpointing and recovery keys; the old keys still work as deprecated keys ---
  ...(
    [
      ['state.checkpoints.dir', 'execution.checkpointing.dir'],
      ['state.savepoints.dir', 'execution.checkpointing.savepoint-dir'],
      ['state.checkpoints.num-retained', 'execution.checkpointing.num-retained'],
      ['state.backend.incremental', 'execution.checkpointing.incremental'],
      ['state.checkpoint-storage', 'execution.checkpointing.storage'],
    ] as const
  ).map(([from, to]) =>
    config(from, to, '1.20', 'deprecated', `'${from}' is deprecated in favour of '${to}'.`, CHECKPOINTING),
  ),
  ...(
    [
      ['state.backend.local-recovery', 'execution.state-recovery.from-local'],
      ['execution.savepoint.path', 'execution.state-recovery.path'],
      ['execution.savepoint.ignore-unclaimed-state', 'execution.state-recovery.ignore-unclaimed-state'],
      ['execution.savepoint-restore-mode', 'execution.state-recovery.claim-mode'],
    ] as const
  ).map(([from, to]) =>
    config(from, to, '1.20', 'deprecated', `'${from}' is deprecated in favour of '${to}'.`, STATE_RECOVERY),
  ),

  // --- Table / SQL client options: deprecated in 1.20, removed in 2.0 ---
  config(
    'sql-client.display.max-column-width',
    'table.display.max-column-width',
    '1.20',
    'deprecated',
    "'sql-client.display.max-column-width' is deprecated in favour of 'table.display.max-column-width'.",
    `${RN_1_20} (FLINK-35473)`,
  ),
  config(
    'sql-client.display.max-column-width',
    'table.display.max-column-width',
    '2.0',
    'renamed',
    "'sql-client.display.max-column-width' no longer exists; use 'table.display.max-column-width'.",
    `${RN_2_0}; ${RN_1_20} (FLINK-35473)`,
  ),
  ...(
    [
      [
        'table.optimizer.source.aggregate-pushdown-enabled',
        'it only served the removed FilterableTableSource stack.',
      ],
      [
        'table.optimizer.source.predicate-pushdown-enabled',
        'it only served the removed FilterableTableSource stack.',
      ],
      ['table.optimizer.sql-to-rel.project.merge.enabled', 'the setting no longer exists.'],
      ['table.exec.legacy-transformation-uids', 'the setting no longer exists.'],
      ['table.exec.shuffle-mode', 'the setting no longer exists.'],
      ['table.exec.topn-cache-size', 'the setting no longer exists.'],
      ['table.exec.deduplicate.insert-and-updateafter-sensitive.enabled', 'the setting no longer exists.'],
      ['table.exec.deduplicate.mini-batch.compact-changes.enabled', 'the setting no longer exists.'],
    ] as const
  ).map(([from, why]) =>
    config(from, null, '2.0', 'removed', `'${from}' was removed in Flink 2.0; ${why}`, RN_2_0),
  ),

  // --- Serializer registration keys removed in 2.0 (FLIP-398 replaced them with pipeline.serialization-config) ---
  ...(
    [
      'pipeline.auto-type-registration',
      'pipeline.default-kryo-serializers',
      'pipeline.registered-kryo-types',
      'pipeline.registered-pojo-types',
    ] as const
  ).map((from) =>
    config(
      from,
      null,
      '2.0',
      'removed',
      `'${from}' was removed in Flink 2.0; register serializers with 'pipeline.serialization-config' instead.`,
      `${RN_2_0}; apache/flink docs/content/release-notes/flink-1.19.md (FLINK-34122)`,
    ),
  ),
];

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

/** 'major.minor' (a patch part is ignored) as comparable numbers. */
function parseVersion(v: string): [number, number] {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.\d+)?(?:[-.].*)?\s*$/.exec(v);
  if (!m) throw new RangeError(`not a Flink version (major.minor): '${v}'`);
  return [Number(m[1]), Number(m[2])];
}

function compareVersions(a: string, b: string): number {
  const [am, an] = parseVersion(a);
  const [bm, bn] = parseVersion(b);
  return am !== bm ? am - bm : an - bn;
}

/** The changes that happen when moving from `from` to `to`: from < since <= to. */
function changesBetween(from: string, to: string): OptionChange[] {
  return OPTION_CHANGES.filter(
    (c) => compareVersions(from, c.since) < 0 && compareVersions(c.since, to) <= 0,
  );
}

/**
 * The change for a key: among the applicable ones, the latest (e.g. 'removed in 2.0' wins over
 * 'deprecated in 1.20' when moving 1.19 -> 2.0).
 */
function pick(candidates: OptionChange[]): OptionChange | undefined {
  let best: OptionChange | undefined;
  for (const c of candidates) if (!best || compareVersions(c.since, best.since) > 0) best = c;
  return best;
}

function matchesIdentifier(list: string | null, id: string | undefined): boolean {
  if (list === null) return true;
  if (id === undefined) return false;
  return list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes(id.trim().toLowerCase());
}

/** Mapped value, the value itself when the change has no value mapping, undefined when it cannot be mapped. */
function mapValue(change: OptionChange, value: string): string | undefined {
  if (!change.values) return value;
  // Flink reads these enum values case-insensitively with '_' and '-' interchangeable.
  const normalized = value.trim().toLowerCase().replace(/_/g, '-');
  return Object.hasOwn(change.values, normalized) ? change.values[normalized] : undefined;
}

/** Rewritable when there is a replacement key, the value can be mapped and the new key is not set already. */
function canRewrite(change: OptionChange, value: string, keyTaken: (k: string) => boolean): boolean {
  if (change.to === null || change.autoRewrite === false) return false;
  if (mapValue(change, value) === undefined) return false;
  // Both keys present: a rename would leave a duplicate whose precedence differs from Flink's rule.
  return !keyTaken(change.to);
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

function lineStarts(script: string): number[] {
  const starts = [0];
  for (let i = 0; i < script.length; i++) if (script[i] === '\n') starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

interface LocatedFinding extends OptionFinding {
  keyToken: Token;
  valueToken: Token;
}

function scan(script: string, from: string, to: string): LocatedFinding[] {
  const changes = changesBetween(from, to);
  if (changes.length === 0) return [];
  const starts = lineStarts(script);
  const statements = splitStatements(script).map((s) => {
    // splitStatements reports where the statement starts; its text begins exactly there.
    const guess = starts[s.line - 1]! + s.column - 1;
    const start = script.startsWith(s.text, guess) ? guess : script.indexOf(s.text, guess);
    // Only SET and CREATE statements can hold options: the others are not tokenized.
    const read = start >= 0 && (s.kind === 'set' || (s.kind === 'ddl' && /^CREATE\b/i.test(s.text)));
    return { stmt: s, start, tokens: read ? tokenize(s.text) : [] };
  });

  // Keys set anywhere in the script: a SET rename must not collide with an explicit SET of the new key.
  const setKeys = new Set<string>();
  for (const { stmt } of statements) {
    const kv = stmt.kind === 'set' ? parseSet(stmt.text) : undefined;
    if (kv) setKeys.add(kv[0]);
  }

  const out: LocatedFinding[] = [];
  const emit = (
    offset: number,
    table: string | null,
    relativeKey: Token,
    relativeValue: Token,
    change: OptionChange,
    taken: (k: string) => boolean,
  ) => {
    // Offsets in the script, so that rewrites apply to it.
    const key = { ...relativeKey, start: relativeKey.start + offset, end: relativeKey.end + offset };
    const value = { ...relativeValue, start: relativeValue.start + offset, end: relativeValue.end + offset };
    out.push({
      ...position(starts, key.start),
      table,
      key: key.value,
      value: value.value,
      change,
      rewritable: canRewrite(change, value.value, taken),
      keyToken: key,
      valueToken: value,
    });
  };

  for (const { stmt, start, tokens } of statements) {
    if (stmt.kind === 'set') {
      const lit = readSet(tokens);
      if (!lit) continue;
      const change = pick(changes.filter((c) => c.scope === 'config' && c.from === lit.key.value));
      if (change) emit(start, null, lit.key, lit.value, change, (k) => setKeys.has(k));
    } else if (stmt.kind === 'ddl') {
      const ddl = readCreateTable(stmt.text, tokens);
      // Only string literals are rewritten, as they are the only options Flink accepts.
      const options = ddl?.optionList.filter((o) => o.literal) ?? [];
      if (!ddl || options.length === 0) continue;
      const byKey = new Map(options.map((o) => [o.key, o.value]));
      // The connector of a legacy table is its 'connector.type'.
      const connector = byKey.get('connector') ?? byKey.get('connector.type');
      const format = byKey.get('format') ?? byKey.get('format.type') ?? byKey.get('value.format');
      for (const { keyToken: key, valueToken: value } of options) {
        const change = pick(
          changes.filter(
            (c) =>
              c.from === key.value &&
              ((c.scope === 'connector' &&
                c.connector !== null &&
                matchesIdentifier(c.connector, connector)) ||
                (c.scope === 'format' && matchesIdentifier(c.connector, format))),
          ),
        );
        if (change) emit(start, ddl.name, key, value, change, (k) => byKey.has(k));
      }
    }
  }
  return out;
}

function publicFinding(f: LocatedFinding): OptionFinding {
  return {
    line: f.line,
    column: f.column,
    table: f.table,
    key: f.key,
    value: f.value,
    change: f.change,
    rewritable: f.rewritable,
  };
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Findings for moving a script from Flink `from` to `to` (versions like '1.13', '1.20', '2.0'), in both the WITH options of CREATE TABLE statements and SET statements. */
export function findOptionChanges(script: string, from: string, to: string): OptionFinding[] {
  return scan(script, from, to).map(publicFinding);
}

/**
 * The script with every rewritable finding rewritten (keys renamed, values mapped); other text unchanged
 * byte for byte. Positions in `applied` and `remaining` refer to the original script.
 */
export function rewriteOptions(
  script: string,
  from: string,
  to: string,
): { sql: string; applied: OptionFinding[]; remaining: OptionFinding[] } {
  const findings = scan(script, from, to);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const f of findings) {
    if (!f.rewritable || f.change.to === null) continue;
    edits.push({ start: f.keyToken.start, end: f.keyToken.end, text: quote(f.change.to) });
    const mapped = mapValue(f.change, f.value);
    if (mapped !== undefined && mapped !== f.value) {
      edits.push({ start: f.valueToken.start, end: f.valueToken.end, text: quote(mapped) });
    }
  }
  // Apply from the end so earlier offsets stay valid.
  edits.sort((a, b) => b.start - a.start);
  let sql = script;
  for (const e of edits) sql = sql.slice(0, e.start) + e.text + sql.slice(e.end);
  return {
    sql,
    applied: findings.filter((f) => f.rewritable).map(publicFinding),
    remaining: findings.filter((f) => !f.rewritable).map(publicFinding),
  };
}

/** Same for a job's options map (the per-job Flink configuration). */
export function mapJobOptions(
  options: Record<string, string>,
  from: string,
  to: string,
): { options: Record<string, string>; applied: OptionChange[]; remaining: OptionChange[] } {
  const changes = changesBetween(from, to).filter((c) => c.scope === 'config');
  const applied: OptionChange[] = [];
  const remaining: OptionChange[] = [];
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    const change = pick(changes.filter((c) => c.from === key));
    if (!change) {
      out[key] = value;
      continue;
    }
    if (canRewrite(change, value, (k) => Object.hasOwn(options, k)) && change.to !== null) {
      // Same position in the map, so the rewritten configuration reads like the original.
      out[change.to] = mapValue(change, value) ?? value;
      applied.push(change);
    } else {
      out[key] = value;
      remaining.push(change);
    }
  }
  return { options: out, applied, remaining };
}
