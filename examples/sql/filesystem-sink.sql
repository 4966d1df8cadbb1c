-- title: Datagen to CSV files
-- description: Writes generated orders as CSV files under /tmp, one folder per day and hour, with the filesystem connector. Files are finished and made visible at checkpoints, so the job turns checkpointing on.
-- tags: filesystem, csv, partitioning, checkpointing

-- A streaming file sink only finishes (commits) files when a checkpoint completes:
-- without checkpoints, the files would stay hidden in-progress files.
SET 'execution.checkpointing.interval' = '10 s';

CREATE TABLE orders (
  order_id BIGINT,
  product_id INT,
  quantity INT,
  price DECIMAL(10, 2),
  order_time TIMESTAMP(3)
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.order_id.min' = '1',
  'fields.order_id.max' = '100000',
  'fields.product_id.min' = '1',
  'fields.product_id.max' = '5',
  'fields.quantity.min' = '1',
  'fields.quantity.max' = '10',
  'fields.price.min' = '1',
  'fields.price.max' = '100'
);

-- The partition columns dt and hr become folders: /tmp/sluice-examples/orders/dt=.../hr=.../
-- Each checkpoint finishes the files being written (a file is also finished when it
-- reaches 64 MB). An empty _SUCCESS file marks a folder as complete one hour after
-- it was created.
CREATE TABLE order_files (
  order_id BIGINT,
  product_id INT,
  quantity INT,
  price DECIMAL(10, 2),
  order_time TIMESTAMP(3),
  dt STRING,
  hr STRING
) PARTITIONED BY (dt, hr) WITH (
  'connector' = 'filesystem',
  'path' = 'file:///tmp/sluice-examples/orders',
  'format' = 'csv',
  'sink.rolling-policy.file-size' = '64MB',
  'sink.partition-commit.trigger' = 'process-time',
  'sink.partition-commit.delay' = '1 h',
  'sink.partition-commit.policy.kind' = 'success-file'
);

INSERT INTO order_files
SELECT
  order_id,
  product_id,
  quantity,
  price,
  order_time,
  DATE_FORMAT(order_time, 'yyyy-MM-dd') AS dt,
  DATE_FORMAT(order_time, 'HH') AS hr
FROM orders;
