-- area: connectors
-- Kafka JSON in, metadata columns, a CASE-heavy cleanup and an upsert-kafka changelog out.
CREATE TABLE raw_orders (
  order_id BIGINT,
  status STRING,
  amount DOUBLE,
  `partition` INT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL,
  event_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  WATERMARK FOR event_time AS event_time - INTERVAL '3' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-corpus',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TABLE order_status (
  order_id BIGINT, status STRING, amount DOUBLE, bucket STRING, PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'order-status',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'value.format' = 'json'
);

INSERT INTO order_status
SELECT
  order_id,
  UPPER(TRIM(status)),
  amount,
  CASE WHEN amount >= 1000 THEN 'large' WHEN amount >= 100 THEN 'medium' ELSE 'small' END
FROM raw_orders
WHERE status IS NOT NULL AND `partition` >= 0;
