-- title: Interval join of orders and shipments
-- description: Matches each order with the shipments of the same order that happen within one minute after it, with an interval join on event time. Unlike a regular join, Flink drops rows once no later row can match them, so state stays small.
-- tags: join, event-time

CREATE TABLE orders (
  order_id INT,
  product_id INT,
  order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.order_id.min' = '1',
  'fields.order_id.max' = '5',
  'fields.product_id.min' = '1',
  'fields.product_id.max' = '5'
);

CREATE TABLE shipments (
  shipment_id BIGINT,
  order_id INT,
  warehouse STRING,
  ship_time TIMESTAMP(3),
  WATERMARK FOR ship_time AS ship_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.shipment_id.min' = '1',
  'fields.shipment_id.max' = '100000',
  'fields.order_id.min' = '1',
  'fields.order_id.max' = '5',
  'fields.warehouse.length' = '4'
);

CREATE TABLE shipped_orders (
  order_id INT,
  product_id INT,
  shipment_id BIGINT,
  warehouse STRING,
  order_time TIMESTAMP(3),
  ship_time TIMESTAMP(3),
  seconds_to_ship INT
) WITH (
  'connector' = 'print'
);

-- The time condition on both event-time columns is what makes this an interval join:
-- a shipment matches an order of the same id if it was shipped 0 to 60 seconds after it.
INSERT INTO shipped_orders
SELECT
  o.order_id,
  o.product_id,
  s.shipment_id,
  s.warehouse,
  o.order_time,
  -- A sink row can carry only one event-time attribute: the second one is cast to a
  -- plain TIMESTAMP(3).
  CAST(s.ship_time AS TIMESTAMP(3)) AS ship_time,
  TIMESTAMPDIFF(SECOND, o.order_time, s.ship_time) AS seconds_to_ship
FROM orders AS o
JOIN shipments AS s
  ON o.order_id = s.order_id
  AND s.ship_time BETWEEN o.order_time AND o.order_time + INTERVAL '1' MINUTE;
