-- area: statement sets
-- One source fanned out to three sinks as one job: EXECUTE STATEMENT SET.
CREATE TEMPORARY TABLE transactions (
  tx_id BIGINT, account STRING, amount DOUBLE, tx_time TIMESTAMP(3),
  WATERMARK FOR tx_time AS tx_time - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'fields.account.length' = '4');

CREATE TEMPORARY TABLE big_tx (tx_id BIGINT, amount DOUBLE) WITH ('connector' = 'blackhole');
CREATE TEMPORARY TABLE per_account (account STRING, total DOUBLE) WITH ('connector' = 'blackhole');
CREATE TEMPORARY TABLE archive (tx_id BIGINT, account STRING, amount DOUBLE, tx_time TIMESTAMP(3))
WITH ('connector' = 'filesystem', 'path' = 'file:///tmp/sluice-corpus-archive', 'format' = 'json');

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO big_tx SELECT tx_id, amount FROM transactions WHERE amount > 1000;
  INSERT INTO per_account SELECT account, SUM(amount) FROM transactions GROUP BY account;
  INSERT INTO archive SELECT * FROM transactions;
END;
