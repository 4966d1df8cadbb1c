-- title: Deduplication: first and last row per key
-- description: Keeps the first event of each user by processing time and the latest status of each order by event time, with ROW_NUMBER() and a filter on row number 1. Use it to drop repeated messages or to turn a stream of changes into the current state per key.
-- tags: deduplication, changelog, event-time

-- proc_time is a processing-time attribute (the time the row is processed);
-- event_time is the event time, with a watermark.
CREATE TABLE order_events (
  order_id INT,
  user_id INT,
  status STRING,
  event_time TIMESTAMP(3),
  proc_time AS PROCTIME(),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.order_id.min' = '1',
  'fields.order_id.max' = '5',
  'fields.user_id.min' = '1',
  'fields.user_id.max' = '5',
  'fields.status.length' = '6'
);

CREATE TABLE first_event_per_user (
  user_id INT,
  order_id INT,
  status STRING,
  event_time TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'print-identifier' = 'first'
);

CREATE TABLE latest_status_per_order (
  order_id INT,
  status STRING,
  event_time TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'print-identifier' = 'latest'
);

-- Keep the first row: ORDER BY a processing-time attribute ASC. Later rows of the
-- same user are dropped, so the result is append-only.
INSERT INTO first_event_per_user
SELECT user_id, order_id, status, event_time
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY proc_time ASC) AS row_num
  FROM order_events
)
WHERE row_num = 1;

-- Keep the last row: ORDER BY the event time DESC. Each newer row replaces the
-- previous one of the same order, so the result is an updating table (-U/+U).
INSERT INTO latest_status_per_order
SELECT order_id, status, event_time
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY event_time DESC) AS row_num
  FROM order_events
)
WHERE row_num = 1;
