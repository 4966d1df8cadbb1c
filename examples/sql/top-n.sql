-- title: Top 3 products per category
-- description: Keeps, for every category, the three products with the highest sales so far, using ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) and a filter on the rank. The result is an updating table: rows are retracted when a product drops out of the top three.
-- tags: top-n, aggregation, changelog

CREATE TABLE sales (
  sale_id BIGINT,
  category_id INT,
  product_id INT,
  amount DECIMAL(10, 2)
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.sale_id.min' = '1',
  'fields.sale_id.max' = '100000',
  'fields.category_id.min' = '1',
  'fields.category_id.max' = '3',
  'fields.product_id.min' = '1',
  'fields.product_id.max' = '10',
  'fields.amount.min' = '1',
  'fields.amount.max' = '100'
);

-- The print sink shows the changes: +I inserts, -U/+U updates and -D deletes.
CREATE TABLE top_products (
  category_id INT,
  product_rank BIGINT,
  product_id INT,
  total_sales DECIMAL(38, 2)
) WITH (
  'connector' = 'print'
);

-- Flink recognises this exact shape (ROW_NUMBER in a subquery, then a filter on it
-- in the outer query) as a Top-N query. Without the filter on the rank, a streaming
-- job cannot run this ROW_NUMBER.
INSERT INTO top_products
SELECT category_id, product_rank, product_id, total_sales
FROM (
  SELECT
    category_id,
    product_id,
    total_sales,
    ROW_NUMBER() OVER (PARTITION BY category_id ORDER BY total_sales DESC) AS product_rank
  FROM (
    SELECT category_id, product_id, SUM(amount) AS total_sales
    FROM sales
    GROUP BY category_id, product_id
  )
)
WHERE product_rank <= 3;
