-- area: temporal and lookup joins
-- Orders priced with the currency rate valid at the order's time: an event-time temporal join on a versioned table.
CREATE TABLE orders (
  order_id BIGINT, currency STRING, price DECIMAL(10, 2), order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'fields.currency.length' = '1');

CREATE TABLE currency_rates (
  currency STRING,
  rate DECIMAL(10, 4),
  update_time TIMESTAMP(3),
  WATERMARK FOR update_time AS update_time - INTERVAL '5' SECOND,
  PRIMARY KEY (currency) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'rates',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'value.format' = 'json'
);

CREATE TABLE priced_orders (order_id BIGINT, price_eur DECIMAL(20, 6)) WITH ('connector' = 'blackhole');

INSERT INTO priced_orders
SELECT o.order_id, o.price * r.rate
FROM orders AS o
LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF o.order_time AS r
ON o.currency = r.currency;
