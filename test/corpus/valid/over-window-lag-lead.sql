-- area: over windows
-- Each payment next to the one before it: LAG over a partition, and a running total (issue 10: LAG OVER).
CREATE TABLE payments (
  account_id BIGINT,
  amount DOUBLE,
  paid_at TIMESTAMP(3),
  WATERMARK FOR paid_at AS paid_at - INTERVAL '2' SECOND
) WITH ('connector' = 'datagen', 'fields.account_id.min' = '1', 'fields.account_id.max' = '20');

CREATE TABLE payment_deltas (
  account_id BIGINT, amount DOUBLE, delta DOUBLE, running_total DOUBLE, max_so_far DOUBLE
) WITH ('connector' = 'blackhole');

INSERT INTO payment_deltas
SELECT
  account_id,
  amount,
  amount - LAG(amount) OVER (PARTITION BY account_id ORDER BY paid_at) AS delta,
  SUM(amount) OVER (PARTITION BY account_id ORDER BY paid_at),
  MAX(amount) OVER (PARTITION BY account_id ORDER BY paid_at)
FROM payments;
