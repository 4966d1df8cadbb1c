-- title: Kafka in, Kafka out (JSON)
-- description: Reads JSON orders from one Kafka topic, filters and reshapes them, and writes JSON to another topic. Use it as the starting point for a streaming ETL step between two topics.
-- tags: kafka, json, etl

-- The source reads the topic from the earliest offset. With json.ignore-parse-errors,
-- a message that is not valid JSON is skipped and a field of the wrong type becomes
-- NULL, instead of failing the job. kafka_time is the Kafka record's timestamp.
CREATE TABLE raw_orders (
  order_id BIGINT,
  customer_id INT,
  product STRING,
  quantity INT,
  unit_price DECIMAL(10, 2),
  order_time TIMESTAMP(3),
  kafka_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-example-orders',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- An append-only Kafka sink. The message key is the order_id as JSON, so all
-- messages of an order go to the same partition.
CREATE TABLE large_orders (
  order_id BIGINT,
  customer_id INT,
  product STRING,
  total DECIMAL(20, 2),
  order_time TIMESTAMP(3),
  received_at TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'large-orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'key.fields' = 'order_id',
  'value.format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO large_orders
SELECT
  order_id,
  customer_id,
  UPPER(TRIM(product)) AS product,
  quantity * unit_price AS total,
  order_time,
  kafka_time AS received_at
FROM raw_orders
WHERE quantity > 0
  AND quantity * unit_price >= 100;
