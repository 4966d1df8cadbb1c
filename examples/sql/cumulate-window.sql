-- title: Cumulating-window running totals
-- description: Emits a running total of sales that grows every 10 seconds and starts again every minute, with the CUMULATE window table function. Use it for "revenue so far today, updated every minute" dashboards.
-- tags: window, aggregation, event-time

CREATE TABLE sales (
  store_id INT,
  amount DECIMAL(10, 2),
  sale_time TIMESTAMP(3),
  WATERMARK FOR sale_time AS sale_time - INTERVAL '2' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.store_id.min' = '1',
  'fields.store_id.max' = '3',
  'fields.amount.min' = '1',
  'fields.amount.max' = '50'
);

CREATE TABLE running_sales (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  store_id INT,
  sales_so_far DECIMAL(38, 2)
) WITH (
  'connector' = 'print'
);

-- CUMULATE takes the step first and the maximum size second. Within each minute it
-- emits windows [start, start + 10s), [start, start + 20s), ... [start, start + 60s).
-- For a daily total, use INTERVAL '1' MINUTE and INTERVAL '1' DAY.
INSERT INTO running_sales
SELECT window_start, window_end, store_id, SUM(amount) AS sales_so_far
FROM TABLE(
  CUMULATE(TABLE sales, DESCRIPTOR(sale_time), INTERVAL '10' SECOND, INTERVAL '1' MINUTE)
)
GROUP BY window_start, window_end, store_id;
