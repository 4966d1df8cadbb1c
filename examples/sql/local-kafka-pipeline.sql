-- title: Kafka on the local broker: page views in, errors out
-- description: Reads JSON page views from the topic page-views of the local Kafka broker, keeps the failed requests and writes them as JSON to the topic page-errors. Its consumer group commits its offsets at each checkpoint, so `sluice job lag` shows how far behind the job is.
-- tags: kafka, local-broker, json, filter, consumer-lag
-- needs: the local Kafka broker (`sluice kafka start`) and the topic page-views (`kafka-topics.sh --create` or any client); 127.0.0.1:9092 is its default address (SLUICE_KAFKA_PORT)

-- Flink's Kafka source commits its offsets to the group only when a checkpoint
-- completes: without checkpoints the broker never learns how far the job read.
SET 'execution.checkpointing.interval' = '10s';

CREATE TABLE page_views (
  user_id STRING,
  url STRING,
  status INT,
  view_time TIMESTAMP_LTZ(3),
  partition_id INT METADATA FROM 'partition' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'page-views',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.group.id' = 'sluice-example-page-views',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- An append-only sink: each failed request is one message, keyed by its user.
CREATE TABLE page_errors (
  user_id STRING,
  url STRING,
  status INT,
  view_time TIMESTAMP_LTZ(3),
  source_partition INT
) WITH (
  'connector' = 'kafka',
  'topic' = 'page-errors',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'key.format' = 'json',
  'key.fields' = 'user_id',
  'value.format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO page_errors
SELECT user_id, url, status, view_time, partition_id
FROM page_views
WHERE status >= 400;
