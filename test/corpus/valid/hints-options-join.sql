-- area: hints
-- Dynamic table options on a source, a join strategy hint and a state TTL hint (Flink 1.19+).
CREATE TABLE orders (order_id BIGINT, user_id BIGINT, amount DOUBLE) WITH ('connector' = 'datagen');
CREATE TABLE users (user_id BIGINT, name STRING) WITH ('connector' = 'datagen');
CREATE TABLE out_rows (order_id BIGINT, name STRING, amount DOUBLE) WITH ('connector' = 'blackhole');

INSERT INTO out_rows
SELECT /*+ SHUFFLE_HASH(u), STATE_TTL('o' = '1d', 'u' = '12h') */ o.order_id, u.name, o.amount
FROM orders /*+ OPTIONS('rows-per-second' = '5') */ AS o
JOIN users AS u ON o.user_id = u.user_id;

INSERT INTO out_rows
SELECT /*+ BROADCAST(u) */ o.order_id, u.name, o.amount
FROM orders o JOIN users /*+ OPTIONS('number-of-rows' = '100') */ u ON o.user_id = u.user_id;
