-- title: Kafka to PostgreSQL (JDBC upsert)
-- description: Reads JSON payments from Kafka, keeps a running total per customer and upserts it into a PostgreSQL table through the JDBC connector. Because the sink declares a primary key, every change updates one row in place.
-- tags: kafka, jdbc, postgresql, upsert, aggregation

-- Create the target table in PostgreSQL first, for example:
--   CREATE TABLE customer_totals (
--     customer_id INTEGER PRIMARY KEY,
--     payment_count BIGINT NOT NULL,
--     total_amount NUMERIC(38, 2) NOT NULL,
--     last_payment_time TIMESTAMP(3)
--   );
-- The cluster needs the JDBC connector and the PostgreSQL driver on its classpath.

CREATE TABLE payments (
  payment_id BIGINT,
  customer_id INT,
  amount DECIMAL(10, 2),
  payment_time TIMESTAMP(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'payments',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-example-payments',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json'
);

-- With a primary key the JDBC sink works in upsert mode: PostgreSQL gets
-- INSERT ... ON CONFLICT (customer_id) DO UPDATE. Rows are sent in batches of up
-- to 100, or every second, whichever comes first.
CREATE TABLE customer_totals (
  customer_id INT,
  payment_count BIGINT,
  total_amount DECIMAL(38, 2),
  last_payment_time TIMESTAMP(3),
  PRIMARY KEY (customer_id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://localhost:5432/shop',
  'table-name' = 'customer_totals',
  'username' = 'sluice',
  'password' = 'sluice',
  'sink.buffer-flush.max-rows' = '100',
  'sink.buffer-flush.interval' = '1s',
  'sink.max-retries' = '3'
);

INSERT INTO customer_totals
SELECT
  customer_id,
  COUNT(*) AS payment_count,
  SUM(amount) AS total_amount,
  MAX(payment_time) AS last_payment_time
FROM payments
GROUP BY customer_id;
