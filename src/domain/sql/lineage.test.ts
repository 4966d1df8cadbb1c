import { describe, expect, it } from 'vitest';
import { analyzeLineage, type LineageWrite, type ScriptLineage } from './lineage.ts';

/** sink column -> 'table.column' origins, for compact assertions. */
function columnMap(w: LineageWrite | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of w?.columns ?? []) out[c.column] = c.from.map((o) => `${o.table}.${o.column}`);
  return out;
}

function table(r: ScriptLineage, name: string) {
  const t = r.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name} in ${r.tables.map((x) => x.name).join(', ')}`);
  return t;
}

const KAFKA_ORDERS = `CREATE TABLE orders (
  order_id BIGINT,
  customer_id BIGINT,
  product STRING,
  amount DECIMAL(10, 2),
  status STRING,
  ts TIMESTAMP(3),
  proc_time AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'broker2:9092,broker1:9092',
  'properties.group.id' = 'g1',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json'
);`;

describe('analyzeLineage', () => {
  it('kafka source -> filter/projection -> jdbc sink, with column lineage and identities', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE paid_orders (
  id BIGINT NOT NULL COMMENT 'the order',
  customer BIGINT,
  amount_cents BIGINT,
  label STRING,
  source STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://db-host:5432/shop',
  'table-name' = 'public.paid_orders',
  'username' = 'app',
  'password' = 's3cret'
);
-- only paid orders
INSERT INTO paid_orders
SELECT order_id, o.customer_id AS customer, CAST(amount * 100 AS BIGINT) amount_cents,
       CASE WHEN amount > 100 THEN UPPER(product) ELSE 'small' END, 'web'
FROM orders AS o
WHERE status = 'PAID';`);
    const orders = table(r, 'orders');
    expect(orders).toMatchObject({
      kind: 'table',
      line: 1,
      connector: 'kafka',
      identity: { topic: 'orders', 'properties.bootstrap.servers': 'broker2:9092,broker1:9092' },
      resource: 'kafka://broker1:9092,broker2:9092/orders',
      reads: true,
      writes: false,
    });
    expect(orders.columns).toContainEqual({ name: 'amount', type: 'DECIMAL(10, 2)' });
    expect(orders.columns).toContainEqual({ name: 'proc_time', type: '', computed: true });
    const sink = table(r, 'paid_orders');
    expect(sink).toMatchObject({
      kind: 'table',
      line: 18,
      connector: 'jdbc',
      identity: { url: 'jdbc:postgresql://db-host:5432/shop', 'table-name': 'public.paid_orders' },
      resource: 'jdbc:postgresql://db-host:5432/shop#public.paid_orders',
      reads: false,
      writes: true,
    });
    expect(sink.columns[0]).toEqual({ name: 'id', type: 'BIGINT' });
    expect(r.writes).toHaveLength(1);
    const w = r.writes[0]!;
    expect(w).toMatchObject({ sink: 'paid_orders', line: 33, statement: 'INSERT INTO paid_orders' });
    expect(w.sources).toEqual(['orders']);
    expect(w.via).toEqual([]);
    expect(columnMap(w)).toEqual({
      id: ['orders.order_id'],
      customer: ['orders.customer_id'],
      amount_cents: ['orders.amount'],
      label: ['orders.amount', 'orders.product'],
      source: [],
    });
    expect(w.columns[2]!.expression).toBe('CAST(amount * 100 AS BIGINT)');
    expect(w.columns[4]!.expression).toBe("'web'");
    expect(r.notes).toEqual([]);
  });

  it('a statement set writes two sinks from one source, each INSERT with its own line', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE by_product (product STRING, total DECIMAL(10, 2)) WITH ('connector' = 'print');
CREATE TABLE big_orders (order_id BIGINT, amount DECIMAL(10, 2)) WITH ('connector' = 'blackhole');
EXECUTE STATEMENT SET
BEGIN
  INSERT INTO by_product SELECT product, SUM(amount) FROM orders GROUP BY product;
  INSERT INTO big_orders
    SELECT order_id, amount FROM orders WHERE amount > 1000;
END;`);
    expect(r.writes.map((w) => [w.sink, w.line, w.statement])).toEqual([
      ['by_product', 22, 'INSERT INTO by_product SELECT product, SUM(amount) FROM orders GROUP BY product'],
      ['big_orders', 23, 'INSERT INTO big_orders'],
    ]);
    expect(columnMap(r.writes[0])).toEqual({ product: ['orders.product'], total: ['orders.amount'] });
    expect(columnMap(r.writes[1])).toEqual({ order_id: ['orders.order_id'], amount: ['orders.amount'] });
    expect(table(r, 'by_product')).toMatchObject({
      connector: 'print',
      identity: {},
      resource: null,
      writes: true,
    });
    expect(table(r, 'big_orders').resource).toBeNull();
  });

  it('BEGIN STATEMENT SET; ... END; treats the INSERTs normally', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE a (id BIGINT) WITH ('connector' = 'print');
CREATE TABLE b (id BIGINT) WITH ('connector' = 'print');
BEGIN STATEMENT SET;
INSERT INTO a SELECT order_id FROM orders;
INSERT INTO b SELECT customer_id FROM orders;
END;`);
    expect(r.writes.map((w) => [w.sink, w.line])).toEqual([
      ['a', 21],
      ['b', 22],
    ]);
    expect(columnMap(r.writes[1])).toEqual({ id: ['orders.customer_id'] });
  });

  it('resolves a view chain (view on view) to base columns and lists the views in via', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TEMPORARY VIEW paid (oid, cust, amt) AS
  SELECT order_id, customer_id, amount FROM orders WHERE status = 'PAID';
CREATE VIEW IF NOT EXISTS big_paid AS
  SELECT oid, cust, amt * 1.1 AS amt_with_tax FROM paid WHERE amt > 100;
CREATE TABLE out_t (order_id BIGINT, customer_id BIGINT, amount DECIMAL(10, 2))
  WITH ('connector' = 'filesystem', 'path' = '/tmp/out/', 'format' = 'csv');
INSERT INTO out_t SELECT * FROM big_paid;`);
    const w = r.writes[0]!;
    expect(w.sources).toEqual(['orders']);
    expect(w.via).toEqual(['big_paid', 'paid']);
    expect(columnMap(w)).toEqual({
      order_id: ['orders.order_id'],
      customer_id: ['orders.customer_id'],
      amount: ['orders.amount'],
    });
    expect(w.columns[2]!.expression).toBe('amt * 1.1');
    expect(table(r, 'paid')).toMatchObject({ kind: 'view', line: 18, reads: true, resource: null });
    expect(table(r, 'paid').columns.map((c) => c.name)).toEqual(['oid', 'cust', 'amt']);
    expect(table(r, 'big_paid')).toMatchObject({ kind: 'view', reads: true });
    expect(table(r, 'out_t').resource).toBe('filesystem:file:///tmp/out');
  });

  it('follows CTEs and regular and temporal joins with aliases', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE customers (
  id BIGINT, name STRING, country STRING, PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://mysql:3306/crm', 'table-name' = 'customers');
CREATE TABLE products (sku STRING, category STRING) WITH ('connector' = 'upsert-kafka', 'topic' = 'products',
  'properties.bootstrap.servers' = 'broker1:9092', 'key.format' = 'json', 'value.format' = 'json');
CREATE TABLE enriched (order_id BIGINT, customer_name STRING, country STRING, category STRING, amount DECIMAL(10, 2))
  WITH ('connector' = 'print');
INSERT INTO enriched
WITH recent AS (
  SELECT order_id, customer_id AS cid, product, amount, proc_time FROM orders WHERE status <> 'CANCELLED'
), labelled (oid, cid, sku, amt, pt) AS (SELECT * FROM recent)
SELECT l.oid, c.name AS customer_name, c.country, p.category, l.amt
FROM labelled l
JOIN customers FOR SYSTEM_TIME AS OF l.pt AS c ON l.cid = c.id
LEFT JOIN products p ON p.sku = l.sku;`);
    const w = r.writes[0]!;
    expect(w.sources).toEqual(['customers', 'orders', 'products']);
    expect(w.via).toEqual([]);
    expect(columnMap(w)).toEqual({
      order_id: ['orders.order_id'],
      customer_name: ['customers.name'],
      country: ['customers.country'],
      category: ['products.category'],
      amount: ['orders.amount'],
    });
    expect(table(r, 'products').resource).toBe('kafka://broker1:9092/products');
    expect(r.notes).toEqual([]);
  });

  it('tumbling window TVF aggregation: window_start from the descriptor column, COUNT(*) from nothing', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE per_minute (window_start TIMESTAMP(3), window_end TIMESTAMP(3), product STRING, cnt BIGINT, total DECIMAL(10, 2))
  WITH ('connector' = 'print');
INSERT INTO per_minute
SELECT window_start, window_end, product, COUNT(*), SUM(amount) AS total
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTES))
GROUP BY window_start, window_end, product;
CREATE TABLE hopping (ws TIMESTAMP(3), total DECIMAL(10, 2)) WITH ('connector' = 'print');
INSERT INTO hopping
SELECT window_start, SUM(amount) FROM TABLE(
  HOP(DATA => TABLE orders, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '5' SECOND, SIZE => INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;`);
    expect(columnMap(r.writes[0])).toEqual({
      window_start: ['orders.ts'],
      window_end: ['orders.ts'],
      product: ['orders.product'],
      cnt: [],
      total: ['orders.amount'],
    });
    expect(r.writes[0]!.columns[3]!.expression).toBe('COUNT(*)');
    expect(columnMap(r.writes[1])).toEqual({ ws: ['orders.ts'], total: ['orders.amount'] });
    expect(r.notes).toEqual([]);
  });

  it('top-N with ROW_NUMBER: the rank derives from its PARTITION BY and ORDER BY columns', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE top3 (product STRING, order_id BIGINT, amount DECIMAL(10, 2), rn BIGINT) WITH ('connector' = 'print');
INSERT INTO top3
SELECT product, order_id, amount, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY product ORDER BY amount DESC) AS rn FROM orders
) WHERE rn <= 3;`);
    expect(columnMap(r.writes[0])).toEqual({
      product: ['orders.product'],
      order_id: ['orders.order_id'],
      amount: ['orders.amount'],
      rn: ['orders.amount', 'orders.product'],
    });
    expect(r.writes[0]!.columns[3]!.expression).toBe(
      'ROW_NUMBER() OVER (PARTITION BY product ORDER BY amount DESC)',
    );
    expect(r.notes).toEqual([]);
  });

  it('UNION ALL: output column i derives from column i of every branch; VALUES from nothing', () => {
    const r = analyzeLineage(`CREATE TABLE web (uid BIGINT, url STRING) WITH ('connector' = 'datagen');
CREATE TABLE app (user_id BIGINT, screen STRING) WITH ('connector' = 'datagen');
CREATE TABLE events (id BIGINT, what STRING) WITH ('connector' = 'print');
INSERT INTO events
SELECT uid, url FROM web
UNION ALL
SELECT user_id, screen FROM app
UNION ALL
VALUES (0, 'heartbeat');`);
    expect(columnMap(r.writes[0])).toEqual({
      id: ['app.user_id', 'web.uid'],
      what: ['app.screen', 'web.url'],
    });
    expect(r.writes[0]!.sources).toEqual(['app', 'web']);
    expect(table(r, 'web')).toMatchObject({ connector: 'datagen', resource: null, reads: true });
  });

  it('MATCH_RECOGNIZE: partition columns and measures, pattern variables qualify the input', () => {
    const r =
      analyzeLineage(`CREATE TABLE ticker (symbol STRING, price DOUBLE, volume BIGINT, rowtime TIMESTAMP(3),
  WATERMARK FOR rowtime AS rowtime - INTERVAL '1' SECOND) WITH ('connector' = 'datagen');
CREATE TABLE drops (symbol STRING, start_ts TIMESTAMP(3), bottom DOUBLE, n BIGINT) WITH ('connector' = 'print');
INSERT INTO drops
SELECT * FROM ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    START_ROW.rowtime AS start_ts,
    LAST(PRICE_DOWN.price) AS bottom,
    COUNT(*) AS n
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO LAST PRICE_UP
  PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
  DEFINE
    PRICE_DOWN AS (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price),
    PRICE_UP AS PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
) MR;`);
    expect(columnMap(r.writes[0])).toEqual({
      symbol: ['ticker.symbol'],
      start_ts: ['ticker.rowtime'],
      bottom: ['ticker.price'],
      n: [],
    });
    expect(r.notes).toEqual([]);
  });

  it('CTAS is both a table and a write', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE order_totals WITH ('connector' = 'upsert-kafka', 'topic' = 'totals',
  'properties.bootstrap.servers' = 'broker1:9092', 'key.format' = 'json', 'value.format' = 'json')
AS SELECT customer_id, SUM(amount) AS total, COUNT(DISTINCT product) FROM orders GROUP BY customer_id;`);
    const t = table(r, 'order_totals');
    expect(t).toMatchObject({
      kind: 'table',
      line: 18,
      writes: true,
      resource: 'kafka://broker1:9092/totals',
    });
    expect(t.columns.map((c) => c.name)).toEqual(['customer_id', 'total', 'EXPR$2']);
    expect(r.writes[0]!.sink).toBe('order_totals');
    expect(columnMap(r.writes[0])).toEqual({
      customer_id: ['orders.customer_id'],
      total: ['orders.amount'],
      EXPR$2: ['orders.product'],
    });
  });

  it('CREATE TABLE ... LIKE takes the columns and options of the table it copies', () => {
    const r = analyzeLineage(`${KAFKA_ORDERS}
CREATE TABLE orders_copy WITH ('topic' = 'orders_copy') LIKE orders (EXCLUDING WATERMARKS);
INSERT INTO orders_copy SELECT * FROM orders;`);
    const t = table(r, 'orders_copy');
    expect(t.connector).toBe('kafka');
    expect(t.resource).toBe('kafka://broker1:9092,broker2:9092/orders_copy');
    expect(t.columns.map((c) => c.name)).toContain('amount');
    // proc_time is computed: not written
    expect(r.writes[0]!.columns.map((c) => c.column)).toEqual([
      'order_id',
      'customer_id',
      'product',
      'amount',
      'status',
      'ts',
    ]);
    expect(columnMap(r.writes[0]).amount).toEqual(['orders.amount']);
  });

  it('reads tables through the one CREATE TABLE reader: quoted names, comments and escaped quotes in WITH', () => {
    const r = analyzeLineage(`CREATE TEMPORARY TABLE IF NOT EXISTS \`my cat\`.db.\`in\` (
  \`the id\` BIGINT,
  doubled AS \`the id\` * 2,
  WATERMARK FOR ts AS ts, ts TIMESTAMP(3),
  PRIMARY KEY (\`the id\`) NOT ENFORCED
) WITH (
  'connector' = 'filesystem', -- local files
  /* where */ 'path' = 'file:///tmp/it''s', 'format' = 'csv'
);
CREATE TABLE IF NOT EXISTS \`my cat\`.db.\`in\` (other INT) WITH ('connector' = 'datagen');
CREATE TABLE out (id BIGINT, d BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT \`the id\`, doubled FROM \`my cat\`.db.\`in\`;`);
    const t = table(r, 'my cat.db.in');
    expect(t.resource).toBe("filesystem:file:///tmp/it's");
    expect(t.columns).toEqual([
      { name: 'the id', type: 'BIGINT' },
      { name: 'doubled', type: '', computed: true },
      { name: 'ts', type: 'TIMESTAMP(3)' },
    ]);
    expect(columnMap(r.writes[0])).toEqual({ id: ['my cat.db.in.the id'], d: ['my cat.db.in.doubled'] });
    expect(r.notes).toEqual([]);
  });

  it('undeclared (catalog) tables: columns attributed to them, * is noted', () => {
    const r = analyzeLineage(`CREATE TABLE dim (id BIGINT, region STRING) WITH ('connector' = 'datagen');
INSERT INTO hive.dw.order_facts
SELECT f.order_id, region, amount * rate AS converted
FROM hive.dw.orders f JOIN dim d ON f.dim_id = d.id;
INSERT INTO hive.dw.raw_copy SELECT * FROM hive.dw.orders;`);
    const facts = table(r, 'hive.dw.order_facts');
    expect(facts).toMatchObject({
      kind: 'undeclared',
      line: null,
      connector: null,
      resource: null,
      writes: true,
    });
    expect(table(r, 'hive.dw.orders')).toMatchObject({ kind: 'undeclared', reads: true, writes: false });
    expect(columnMap(r.writes[0])).toEqual({
      order_id: ['hive.dw.orders.order_id'],
      region: ['dim.region'],
      converted: ['hive.dw.orders.amount', 'hive.dw.orders.rate'],
    });
    expect(r.writes[1]!.columns).toEqual([]);
    expect(r.notes.map((n) => n.line)).toContain(5);
    expect(r.notes.some((n) => n.message.includes('hive.dw.orders'))).toBe(true);
  });

  it('never puts password/secret/token options in identity, nor credentials hidden in URLs', () => {
    const r = analyzeLineage(`CREATE TABLE pg (id BIGINT) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://alice:pw@db:5432/shop?user=alice&password=hunter2&ssl=true',
  'table-name' = 'public.t',
  'password' = 'hunter2'
);
CREATE TABLE mongo (id BIGINT) WITH ('connector' = 'mongodb', 'uri' = 'mongodb://bob:pw@m2:27017,m1:27017/?authSource=admin',
  'database' = 'shop', 'collection' = 'orders');
CREATE TABLE cdc (id BIGINT) WITH ('connector' = 'mysql-cdc', 'hostname' = 'mysql', 'port' = '3306',
  'database-name' = 'shop', 'table-name' = 'orders', 'password' = 'x', 'api.token' = 'y', 'client.secret' = 'z');`);
    const all = JSON.stringify(r.tables.map((t) => [t.identity, t.resource]));
    expect(all).not.toMatch(/hunter2|password|secret|token|:pw@/);
    expect(table(r, 'pg').identity).toEqual({
      url: 'jdbc:postgresql://db:5432/shop?user=alice&ssl=true',
      'table-name': 'public.t',
    });
    expect(table(r, 'pg').resource).toBe('jdbc:postgresql://db:5432/shop#public.t');
    expect(table(r, 'mongo').resource).toBe('mongodb://m1:27017,m2:27017/shop.orders');
    expect(table(r, 'cdc').identity).toEqual({
      'database-name': 'shop',
      hostname: 'mysql',
      port: '3306',
      'table-name': 'orders',
    });
    expect(table(r, 'cdc').resource).toBe(
      'mysql-cdc:database-name=shop&hostname=mysql&port=3306&table-name=orders',
    );
  });

  it('gives the same resource key to a topic written in one script and read in another', () => {
    const writer = analyzeLineage(`CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out_topic (id BIGINT) WITH ('connector' = 'kafka', 'topic' = 'clicks',
  'properties.bootstrap.servers' = 'K2.example.com:9092, k1.example.com:9092', 'format' = 'json');
INSERT INTO out_topic SELECT id FROM src;`);
    const reader = analyzeLineage(`CREATE TABLE \`in_topic\` (id BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH (
  'connector' = 'upsert-kafka', 'topic' = 'clicks',
  'properties.bootstrap.servers' = 'k1.example.com:9092,k2.example.com:9092', 'key.format' = 'json', 'value.format' = 'json');
CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT id FROM in_topic;`);
    const written = table(writer, 'out_topic');
    const read = table(reader, 'in_topic');
    expect(written.writes && read.reads).toBe(true);
    expect(written.resource).toBe('kafka://k1.example.com:9092,k2.example.com:9092/clicks');
    expect(read.resource).toBe(written.resource);
  });

  it('parses column types with parentheses and angle brackets, metadata and constraints', () => {
    const r = analyzeLineage(`CREATE TABLE IF NOT EXISTS \`cat\`.\`db\`.\`events\` (
  \`id\` BIGINT NOT NULL,
  payload ROW<a INT, b MAP<STRING, ARRAY<DECIMAL(10, 2)>>>,
  tags ARRAY<STRING> COMMENT 'a, b',
  ts TIMESTAMP(3) WITH LOCAL TIME ZONE,
  part STRING,
  event_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  off BIGINT METADATA VIRTUAL,
  is_big AS CASE WHEN id > 10 AND id < 20 THEN 1 ELSE 0 END,
  CONSTRAINT pk PRIMARY KEY (\`id\`) NOT ENFORCED,
  WATERMARK FOR event_time AS event_time - INTERVAL '1' SECOND
) COMMENT 'events' PARTITIONED BY (part) WITH ('connector' = 'filesystem', 'path' = 's3://bucket/events');
INSERT INTO cat.db.events SELECT 1, NULL, ARRAY['x'], CURRENT_TIMESTAMP, 'p', CURRENT_TIMESTAMP;
INSERT INTO cat.db.events PARTITION (part = '2024') (id, tags) SELECT 2, ARRAY['y'];`);
    const t = table(r, 'cat.db.events');
    expect(t.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'payload', type: 'ROW<a INT, b MAP<STRING, ARRAY<DECIMAL(10, 2)>>>' },
      { name: 'tags', type: 'ARRAY<STRING>' },
      { name: 'ts', type: 'TIMESTAMP(3) WITH LOCAL TIME ZONE' },
      { name: 'part', type: 'STRING' },
      { name: 'event_time', type: 'TIMESTAMP_LTZ(3)', computed: true },
      { name: 'off', type: 'BIGINT', computed: true },
      { name: 'is_big', type: '', computed: true },
    ]);
    expect(t.resource).toBe('filesystem:s3://bucket/events');
    // persisted metadata is written, virtual metadata and computed columns are not
    expect(r.writes[0]!.columns.map((c) => c.column)).toEqual([
      'id',
      'payload',
      'tags',
      'ts',
      'part',
      'event_time',
    ]);
    expect(r.writes[1]!.columns.map((c) => [c.column, c.expression])).toEqual([
      ['id', '2'],
      ['tags', "ARRAY['y']"],
      ['part', "'2024'"],
    ]);
    expect(r.notes).toEqual([]);
  });

  it('LATERAL TABLE and UNNEST outputs derive from the function arguments', () => {
    const r =
      analyzeLineage(`CREATE TABLE docs (id BIGINT, body STRING, tags ARRAY<STRING>) WITH ('connector' = 'datagen');
CREATE TABLE words (id BIGINT, word STRING, len INT, tag STRING) WITH ('connector' = 'print');
INSERT INTO words
SELECT d.id, T.word, T.len, tag
FROM docs AS d, LATERAL TABLE(split_words(d.body)) AS T(word, len)
CROSS JOIN UNNEST(d.tags) AS U(tag);`);
    expect(columnMap(r.writes[0])).toEqual({
      id: ['docs.id'],
      word: ['docs.body'],
      len: ['docs.body'],
      tag: ['docs.tags'],
    });
  });

  it('scalar subqueries add their columns; subqueries in WHERE add sources', () => {
    const r = analyzeLineage(`CREATE TABLE a (id BIGINT, v INT) WITH ('connector' = 'datagen');
CREATE TABLE b (id BIGINT, w INT) WITH ('connector' = 'datagen');
CREATE TABLE c (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE s (id BIGINT, m INT) WITH ('connector' = 'print');
INSERT INTO s SELECT id, (SELECT MAX(w) FROM b WHERE b.id = a.id) FROM a WHERE id IN (SELECT id FROM c);`);
    expect(columnMap(r.writes[0])).toEqual({ id: ['a.id'], m: ['b.w'] });
    expect(r.writes[0]!.sources).toEqual(['a', 'b', 'c']);
  });

  it('notes ambiguous and unknown columns instead of failing', () => {
    const r = analyzeLineage(`CREATE TABLE a (id BIGINT, v INT) WITH ('connector' = 'datagen');
CREATE TABLE b (id BIGINT, v INT) WITH ('connector' = 'datagen');
CREATE TABLE s (x INT, y INT, z BIGINT) WITH ('connector' = 'print');
INSERT INTO s SELECT v, nope, id FROM a JOIN b USING (id);`);
    expect(columnMap(r.writes[0])).toEqual({ x: ['a.v', 'b.v'], y: [], z: ['a.id', 'b.id'] });
    const messages = r.notes.map((n) => `${n.line}: ${n.message}`);
    expect(messages.some((m) => m.startsWith('4: column "v" is in more than one table'))).toBe(true);
    expect(messages).toContain('4: column "nope" was not found');
    expect(messages.some((m) => m.includes('"id"'))).toBe(false); // USING makes id unambiguous
  });

  it('does not throw on garbage', () => {
    const inputs = [
      '',
      ';;;',
      'SELECT',
      'INSERT INTO',
      'INSERT INTO x SELECT FROM WHERE ((( ',
      'CREATE TABLE (',
      'CREATE TABLE t (a INT, b ROW<x INT',
      "CREATE VIEW v AS SELECT * FROM t WHERE x = 'unterminated",
      'SELECT a FROM ) ) ] ( [ b',
      'WITH AS AS AS SELECT 1',
      'EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END',
      'INSERT INTO t SELECT * FROM TABLE(TUMBLE()) MATCH_RECOGNIZE (MEASURES)',
      'lorem ipsum dolor sit amet; 🙂 ✓ `` "" \'\'',
      '/* unclosed comment SELECT 1',
      'SELECT ' + '('.repeat(5000) + '1' + ')'.repeat(5000),
      'INSERT INTO t ' + 'SELECT * FROM ('.repeat(300) + 'SELECT 1' + ')'.repeat(300),
      'CREATE TABLE t WITH (',
      'INSERT INTO s SELECT a.*.b, CAST(x AS, f(=>), OVER, . , . * FROM a, , JOIN ON USING (',
      Array.from({ length: 200 }, (_, i) => String.fromCharCode((i * 7919) % 128)).join(''),
    ];
    for (const sql of inputs) {
      const r = analyzeLineage(sql);
      expect(Array.isArray(r.tables) && Array.isArray(r.writes) && Array.isArray(r.notes)).toBe(true);
    }
    const r = analyzeLineage('FOO BAR;\nINSERT INTO x SELECT FROM;');
    expect(r.notes.some((n) => n.line === 1 && n.message.includes('not recognised'))).toBe(true);
  });

  it('analyses a 5,000-line script', () => {
    const block = (i: number) => `-- block ${i}
SET 'pipeline.name' = 'block ${i}';
CREATE TABLE orders_${i} (
  order_id BIGINT,
  customer_id BIGINT,
  product STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  proc_time AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders_${i}',
  'properties.bootstrap.servers' = 'b1:9092,b2:9092',
  'format' = 'json'
);

CREATE TABLE customers_${i} (
  id BIGINT,
  name STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://db:5432/shop',
  'table-name' = 'customers_${i}'
);
CREATE TABLE report_${i} (
  window_start TIMESTAMP(3),
  name STRING,
  total DECIMAL(10, 2),
  cnt BIGINT
) WITH ('connector' = 'print');
CREATE VIEW enriched_${i} AS
SELECT o.order_id, o.amount, o.ts, c.name
FROM orders_${i} AS o
JOIN customers_${i} FOR SYSTEM_TIME AS OF o.proc_time AS c
  ON o.customer_id = c.id
WHERE o.amount > 0;
INSERT INTO report_${i}
WITH w AS (
  SELECT window_start, name, amount
  FROM TABLE(TUMBLE(TABLE enriched_${i}, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
)
SELECT
  window_start,
  name,
  SUM(amount) AS total,
  COUNT(*) AS cnt
FROM w
GROUP BY window_start, name;
`;
    const script = Array.from({ length: 100 }, (_, i) => block(i)).join('');
    expect(script.split('\n').length).toBeGreaterThanOrEqual(5000);
    const t0 = performance.now();
    const r = analyzeLineage(script);
    const ms = performance.now() - t0;
    console.log(`lineage of a ${script.split('\n').length}-line script: ${ms.toFixed(1)} ms`);
    expect(r.writes).toHaveLength(100);
    expect(r.tables).toHaveLength(400);
    expect(r.notes).toEqual([]);
    expect(columnMap(r.writes[99])).toEqual({
      window_start: ['orders_99.ts'],
      name: ['customers_99.name'],
      total: ['orders_99.amount'],
      cnt: [],
    });
    expect(r.writes[99]!.via).toEqual(['enriched_99']);
    const lines = script.split('\n');
    expect(r.writes[99]!.line).toBe(lines.indexOf('INSERT INTO report_99') + 1);
  });
});
