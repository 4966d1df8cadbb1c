-- title: Temporal join with currency rates
-- description: Converts each order to a common currency with the rate that was valid at the order's event time, with an event-time temporal join against a versioned view. Use it to enrich a stream with a changing dimension, such as prices or rates, as it was at the time of each row.
-- tags: join, temporal-join, event-time, deduplication

CREATE TABLE orders (
  order_id BIGINT,
  currency_id INT,
  amount DECIMAL(10, 2),
  order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.order_id.min' = '1',
  'fields.order_id.max' = '100000',
  'fields.currency_id.min' = '1',
  'fields.currency_id.max' = '5',
  'fields.amount.min' = '1',
  'fields.amount.max' = '100'
);

-- Every new rate of a currency is a new row of this append-only stream.
CREATE TABLE currency_rates (
  currency_id INT,
  rate DECIMAL(10, 4),
  update_time TIMESTAMP(3),
  WATERMARK FOR update_time AS update_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '2',
  'fields.currency_id.min' = '1',
  'fields.currency_id.max' = '5',
  'fields.rate.min' = '0.5',
  'fields.rate.max' = '2'
);

-- A versioned view: keeping the last row per currency_id, ordered by event time,
-- gives the view a primary key (currency_id) and an event-time attribute
-- (update_time), which is what an event-time temporal join needs on its right side.
-- An upsert-kafka table with a PRIMARY KEY and a WATERMARK works the same way.
CREATE VIEW versioned_rates AS
SELECT currency_id, rate, update_time
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY currency_id ORDER BY update_time DESC) AS row_num
  FROM currency_rates
)
WHERE row_num = 1;

CREATE TABLE converted_orders (
  order_id BIGINT,
  currency_id INT,
  amount DECIMAL(10, 2),
  rate DECIMAL(10, 4),
  converted_amount DECIMAL(20, 4),
  order_time TIMESTAMP(3),
  rate_time TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

-- FOR SYSTEM_TIME AS OF o.order_time picks, for each order, the rate row whose
-- version was valid at that moment. Results are emitted once the watermarks of both
-- inputs pass the order's time, so late rates are still taken into account.
INSERT INTO converted_orders
SELECT
  o.order_id,
  o.currency_id,
  o.amount,
  r.rate,
  CAST(o.amount * r.rate AS DECIMAL(20, 4)) AS converted_amount,
  o.order_time,
  r.update_time AS rate_time
FROM orders AS o
JOIN versioned_rates FOR SYSTEM_TIME AS OF o.order_time AS r
  ON o.currency_id = r.currency_id;
