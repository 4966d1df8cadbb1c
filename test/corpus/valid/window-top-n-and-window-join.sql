-- area: window TVFs
-- The three best-selling items per ten minutes, and a window join of clicks and orders of the same window.
CREATE TABLE sales (
  item STRING, price DOUBLE, sold_at TIMESTAMP(3),
  WATERMARK FOR sold_at AS sold_at - INTERVAL '1' SECOND
) WITH ('connector' = 'datagen', 'fields.item.length' = '2');

CREATE TABLE clicks (
  item STRING, clicked_at TIMESTAMP(3),
  WATERMARK FOR clicked_at AS clicked_at - INTERVAL '1' SECOND
) WITH ('connector' = 'datagen', 'fields.item.length' = '2');

CREATE TABLE top_items (
  window_start TIMESTAMP(3), window_end TIMESTAMP(3), item STRING, revenue DOUBLE, rn BIGINT
) WITH ('connector' = 'blackhole');

CREATE TABLE click_to_sale (item STRING, window_start TIMESTAMP(3), clicks BIGINT, sales BIGINT)
WITH ('connector' = 'blackhole');

INSERT INTO top_items
SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY revenue DESC) AS rn
  FROM (
    SELECT window_start, window_end, item, SUM(price) AS revenue
    FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(sold_at), INTERVAL '10' MINUTES))
    GROUP BY window_start, window_end, item
  )
) WHERE rn <= 3;

INSERT INTO click_to_sale
SELECT c.item, c.window_start, c.clicks, s.sales
FROM (
  SELECT item, window_start, window_end, COUNT(*) AS clicks
  FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(clicked_at), INTERVAL '5' MINUTES))
  GROUP BY item, window_start, window_end
) c
JOIN (
  SELECT item, window_start, window_end, COUNT(*) AS sales
  FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(sold_at), INTERVAL '5' MINUTES))
  GROUP BY item, window_start, window_end
) s
ON c.item = s.item AND c.window_start = s.window_start AND c.window_end = s.window_end;
