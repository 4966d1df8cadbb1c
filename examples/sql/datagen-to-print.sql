-- title: Datagen to print
-- description: The smallest complete job: a datagen source makes random orders and a print sink writes every row to the TaskManager log. Start here to check that a cluster runs SQL jobs.
-- tags: getting-started, datagen, print

-- A source of made-up orders, five a second. order_id counts up from 1 (the job
-- finishes after the last one); the other columns are random within the given ranges.
CREATE TABLE orders (
  order_id BIGINT,
  product_id INT,
  quantity INT,
  price DECIMAL(10, 2),
  customer_name STRING,
  order_time TIMESTAMP(3)
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.order_id.kind' = 'sequence',
  'fields.order_id.start' = '1',
  'fields.order_id.end' = '100000',
  'fields.product_id.min' = '1',
  'fields.product_id.max' = '5',
  'fields.quantity.min' = '1',
  'fields.quantity.max' = '10',
  'fields.price.min' = '1',
  'fields.price.max' = '100',
  'fields.customer_name.length' = '8'
);

-- The print sink writes each row, prefixed with the identifier, to the TaskManager's stdout.
CREATE TABLE printed_orders (
  order_id BIGINT,
  product_id INT,
  total DECIMAL(20, 2),
  customer_name STRING,
  order_time TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'print-identifier' = 'orders'
);

INSERT INTO printed_orders
SELECT order_id, product_id, price * quantity AS total, customer_name, order_time
FROM orders;
