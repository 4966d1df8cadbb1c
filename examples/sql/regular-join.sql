-- title: Regular join of orders and customers
-- description: Joins every order with the customer rows of the same customer_id, with a plain JOIN ... ON. A regular join keeps both inputs in state, so it needs a state time-to-live on endless streams; use it when either side can arrive at any time.
-- tags: join, state-ttl

-- A regular join remembers every row of both sides. Without a limit its state grows
-- forever; with this option, rows not read or written for an hour are dropped.
SET 'table.exec.state.ttl' = '1 h';

CREATE TABLE orders (
  order_id BIGINT,
  customer_id INT,
  amount DECIMAL(10, 2),
  order_time TIMESTAMP(3)
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.order_id.min' = '1',
  'fields.order_id.max' = '100000',
  'fields.customer_id.min' = '1',
  'fields.customer_id.max' = '5',
  'fields.amount.min' = '1',
  'fields.amount.max' = '100'
);

-- A small customer table: customer_id counts from 1 to 5, so this source emits five
-- rows and then finishes, while the orders keep coming.
CREATE TABLE customers (
  customer_id INT,
  customer_name STRING,
  country STRING
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.customer_id.kind' = 'sequence',
  'fields.customer_id.start' = '1',
  'fields.customer_id.end' = '5',
  'fields.customer_name.length' = '6',
  'fields.country.length' = '2'
);

CREATE TABLE enriched_orders (
  order_id BIGINT,
  customer_id INT,
  customer_name STRING,
  country STRING,
  amount DECIMAL(10, 2),
  order_time TIMESTAMP(3)
) WITH (
  'connector' = 'print'
);

-- Both inputs are append-only, so an inner join emits only new rows: each order is
-- joined with every customer row seen so far with its customer_id, and a customer
-- row that arrives later is joined with every order seen so far. To join an order
-- with the customer row that was valid at the order's time, see the temporal join.
INSERT INTO enriched_orders
SELECT o.order_id, o.customer_id, c.customer_name, c.country, o.amount, o.order_time
FROM orders AS o
JOIN customers AS c
  ON o.customer_id = c.customer_id;
