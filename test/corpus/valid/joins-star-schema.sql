-- area: joins
-- A star schema: the order facts enriched by a chain of LEFT JOINs to their dimensions (issue 10).
CREATE TABLE fact_orders (
  order_id BIGINT, customer_id INT, product_id INT, store_id INT, amount DECIMAL(10, 2), order_time TIMESTAMP(3)
) WITH ('connector' = 'datagen', 'number-of-rows' = '100');
CREATE TABLE dim_customer (id INT, name STRING, segment STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10');
CREATE TABLE dim_product (id INT, title STRING, category STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10');
CREATE TABLE dim_store (id INT, city STRING, region STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10');
CREATE TABLE dim_date (year_num BIGINT, month_num BIGINT, quarter_name STRING)
WITH ('connector' = 'datagen', 'number-of-rows' = '10');

CREATE TABLE orders_wide (
  order_id BIGINT, customer STRING, segment STRING, product STRING, category STRING, city STRING,
  quarter_name STRING, amount DECIMAL(10, 2)
) WITH ('connector' = 'blackhole');

INSERT INTO orders_wide
SELECT f.order_id, c.name, c.segment, p.title, p.category, s.city, d.quarter_name, f.amount
FROM fact_orders f
LEFT JOIN dim_customer c ON f.customer_id = c.id
LEFT JOIN dim_product p ON f.product_id = p.id
LEFT JOIN dim_store s ON f.store_id = s.id
LEFT JOIN dim_date d ON d.year_num = EXTRACT(YEAR FROM f.order_time) AND d.month_num = EXTRACT(MONTH FROM f.order_time);
