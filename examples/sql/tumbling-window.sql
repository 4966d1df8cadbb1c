-- title: Tumbling-window revenue per product
-- description: Counts orders and sums revenue per product in fixed, non-overlapping 10-second windows of event time, using the TUMBLE window table function. Use it for per-minute or per-hour reports that are emitted once, when each window closes.
-- tags: window, aggregation, event-time

-- order_time is the event time. The watermark tells Flink that rows may arrive up to
-- 5 seconds late; a window is closed and emitted once the watermark passes its end.
CREATE TABLE orders (
  order_id BIGINT,
  product_id INT,
  quantity INT,
  price DECIMAL(10, 2),
  order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
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

CREATE TABLE revenue_per_product (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  product_id INT,
  order_count BIGINT,
  revenue DECIMAL(38, 2)
) WITH (
  'connector' = 'print'
);

-- TUMBLE adds window_start, window_end and window_time to every row. Grouping by
-- window_start and window_end makes this a window aggregation: one final row per
-- window and product, and no state kept after the window closes.
-- Use a longer size, such as INTERVAL '1' HOUR, for real reports.
INSERT INTO revenue_per_product
SELECT
  window_start,
  window_end,
  product_id,
  COUNT(*) AS order_count,
  SUM(price * quantity) AS revenue
FROM TABLE(
  TUMBLE(TABLE orders, DESCRIPTOR(order_time), INTERVAL '10' SECOND)
)
GROUP BY window_start, window_end, product_id;
