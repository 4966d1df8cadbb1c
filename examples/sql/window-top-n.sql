-- title: Top 3 products per 10-second window
-- description: Finds the three best-selling products in each 10-second tumbling window, with a window aggregation followed by ROW_NUMBER over window_start and window_end. Unlike a plain Top-N, it emits one final, append-only result per window.
-- tags: top-n, window, aggregation, event-time

CREATE TABLE sales (
  sale_id BIGINT,
  product_id INT,
  amount DECIMAL(10, 2),
  sale_time TIMESTAMP(3),
  WATERMARK FOR sale_time AS sale_time - INTERVAL '2' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.sale_id.min' = '1',
  'fields.sale_id.max' = '100000',
  'fields.product_id.min' = '1',
  'fields.product_id.max' = '10',
  'fields.amount.min' = '1',
  'fields.amount.max' = '100'
);

CREATE TABLE top_products_per_window (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  product_rank BIGINT,
  product_id INT,
  total_sales DECIMAL(38, 2)
) WITH (
  'connector' = 'print'
);

-- The ranking is partitioned by window_start and window_end, so Flink ranks each
-- window once, when it closes.
INSERT INTO top_products_per_window
SELECT window_start, window_end, product_rank, product_id, total_sales
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (
      PARTITION BY window_start, window_end
      ORDER BY total_sales DESC
    ) AS product_rank
  FROM (
    SELECT window_start, window_end, product_id, SUM(amount) AS total_sales
    FROM TABLE(
      TUMBLE(TABLE sales, DESCRIPTOR(sale_time), INTERVAL '10' SECOND)
    )
    GROUP BY window_start, window_end, product_id
  )
)
WHERE product_rank <= 3;
