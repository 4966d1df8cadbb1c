-- area: window TVFs
-- Revenue so far today, updated every minute (cumulate), and sessions per user (session TVF, Flink 1.19+).
CREATE TABLE orders (
  order_id BIGINT,
  user_id BIGINT,
  amount DECIMAL(10, 2),
  order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '10' SECOND
) WITH ('connector' = 'datagen', 'rows-per-second' = '10');

CREATE TABLE revenue_today (window_start TIMESTAMP(3), window_end TIMESTAMP(3), revenue DECIMAL(38, 2))
WITH ('connector' = 'blackhole');

CREATE TABLE user_sessions (
  user_id BIGINT, session_start TIMESTAMP(3), session_end TIMESTAMP(3), orders BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO revenue_today
SELECT window_start, window_end, SUM(amount)
FROM TABLE(CUMULATE(TABLE orders, DESCRIPTOR(order_time), INTERVAL '1' MINUTES, INTERVAL '1' DAY))
GROUP BY window_start, window_end;

INSERT INTO user_sessions
SELECT user_id, window_start, window_end, COUNT(*)
FROM TABLE(SESSION(TABLE orders PARTITION BY user_id, DESCRIPTOR(order_time), INTERVAL '5' MINUTES))
GROUP BY user_id, window_start, window_end;
