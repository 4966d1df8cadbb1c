-- area: joins
-- Inner, right, full outer, semi (IN / EXISTS) and anti (NOT EXISTS) joins, and an array expanded with UNNEST.
CREATE TABLE users (user_id BIGINT, name STRING, tags ARRAY<STRING>) WITH ('connector' = 'datagen', 'number-of-rows' = '50');
CREATE TABLE orders (order_id BIGINT, user_id BIGINT, amount DOUBLE) WITH ('connector' = 'datagen', 'number-of-rows' = '50');
CREATE TABLE refunds (order_id BIGINT, reason STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '50');

CREATE TABLE joined (a BIGINT, b STRING, c DOUBLE) WITH ('connector' = 'blackhole');
CREATE TABLE user_tags (user_id BIGINT, tag STRING) WITH ('connector' = 'blackhole');

INSERT INTO joined
SELECT o.order_id, u.name, o.amount FROM orders AS o INNER JOIN users AS u ON o.user_id = u.user_id;

INSERT INTO joined
SELECT o.order_id, u.name, o.amount FROM orders o RIGHT JOIN users u ON o.user_id = u.user_id;

INSERT INTO joined
SELECT COALESCE(o.order_id, r.order_id), r.reason, o.amount
FROM orders o FULL OUTER JOIN refunds r ON o.order_id = r.order_id;

INSERT INTO joined
SELECT o.order_id, 'refunded', o.amount FROM orders o
WHERE o.order_id IN (SELECT order_id FROM refunds)
  AND EXISTS (SELECT 1 FROM users u WHERE u.user_id = o.user_id);

INSERT INTO joined
SELECT o.order_id, 'kept', o.amount FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id);

INSERT INTO user_tags
SELECT u.user_id, t.tag FROM users u CROSS JOIN UNNEST(u.tags) AS t (tag);
