-- area: joins
-- Payments that arrive within fifteen minutes of their order: an interval join on event time.
CREATE TABLE orders (
  order_id BIGINT, order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');
CREATE TABLE payments (
  order_id BIGINT, paid DOUBLE, pay_time TIMESTAMP(3),
  WATERMARK FOR pay_time AS pay_time - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');
CREATE TABLE paid_orders (order_id BIGINT, paid DOUBLE, seconds_to_pay INT) WITH ('connector' = 'blackhole');

INSERT INTO paid_orders
SELECT o.order_id, p.paid, TIMESTAMPDIFF(SECOND, o.order_time, p.pay_time)
FROM orders o, payments p
WHERE o.order_id = p.order_id
  AND p.pay_time BETWEEN o.order_time AND o.order_time + INTERVAL '15' MINUTE;
