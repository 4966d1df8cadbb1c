/** The public shape of a script's lineage. */
export interface LineageTable {
  /** As written, unquoted (backticks removed), e.g. 'orders' or 'cat.db.orders'. */
  name: string;
  /** undeclared: used but not created in this script (a catalog table). */
  kind: 'table' | 'view' | 'undeclared';
  /** Where it is declared. */
  line: number | null;
  /** WITH ('connector' = ...). */
  connector: string | null;
  /**
   * The options that identify the external data: kafka/upsert-kafka: topic, topic-pattern,
   * properties.bootstrap.servers; jdbc: url, table-name; filesystem: path; elasticsearch-*: hosts, index;
   * hbase-*: table-name, zookeeper.quorum; mongodb: uri, database, collection; print/blackhole/datagen:
   * none. Options whose key contains password/secret/token are never included.
   */
  identity: Record<string, string>;
  /**
   * A key that is equal for the same external data in two different scripts, or null when the table is
   * not external (datagen, print, blackhole, views, undeclared): e.g.
   * 'kafka://broker1:9092,broker2:9092/orders' (brokers sorted), 'jdbc:postgresql://h:5432/db#public.orders',
   * 'filesystem:file:///tmp/out'. upsert-kafka uses the same 'kafka://' form as kafka.
   */
  resource: string | null;
  /**
   * Which workspace variables each identity option was written with, e.g. { path: ['base'] } for
   * `'path' = '${base}/orders'`; absent when none. The identity holds the resolved value (a secret's
   * reference stays as written: its value is never put into lineage).
   */
  variables?: Record<string, string[]>;
  /** Declared columns; computed/metadata (`x AS expr`, `METADATA`) marked computed. */
  columns: { name: string; type: string; computed?: boolean }[];
  /** Read by some query of the script. */
  reads: boolean;
  /** Target of an INSERT. */
  writes: boolean;
}

export interface ColumnOrigin {
  table: string;
  column: string;
}

export interface LineageWrite {
  /** Target table name. */
  sink: string;
  /** Line of the INSERT statement (inside a statement set: the INSERT's own line). */
  line: number;
  /** First line of the statement, max 120 chars. */
  statement: string;
  /** Base tables (views resolved transitively) the INSERT reads. */
  sources: string[];
  /** Views it goes through. */
  via: string[];
  /** Sink column -> source columns it is derived from; empty list = a constant/derived from nothing. */
  columns: { column: string; from: ColumnOrigin[]; expression: string }[];
}

export interface ScriptLineage {
  tables: LineageTable[];
  writes: LineageWrite[];
  /** What could not be derived, in plain words. */
  notes: { line: number; message: string }[];
}

/** Resolves the `${name}` references of an option value, naming the variables it used. */
export type ResolveValue = (value: string) => { text: string; variables: string[] };
