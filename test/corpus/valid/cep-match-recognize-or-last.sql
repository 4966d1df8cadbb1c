-- area: CEP
-- A falling price that ends in a rebound: MATCH_RECOGNIZE with OR and LAST(x, 1) in DEFINE (issue 10).
CREATE TABLE ticker (
  symbol STRING, price DOUBLE, rowtime TIMESTAMP(3),
  WATERMARK FOR rowtime AS rowtime - INTERVAL '1' SECOND
) WITH ('connector' = 'datagen', 'fields.symbol.length' = '1');

CREATE TABLE rebounds (
  symbol STRING, start_price DOUBLE, bottom_price DOUBLE, end_price DOUBLE, start_ts TIMESTAMP(3), end_ts TIMESTAMP(3)
) WITH ('connector' = 'blackhole');

INSERT INTO rebounds
SELECT * FROM ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    FIRST(A.price) AS start_price,
    LAST(B.price) AS bottom_price,
    C.price AS end_price,
    FIRST(A.rowtime) AS start_ts,
    C.rowtime AS end_ts
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A B+ C) WITHIN INTERVAL '1' HOUR
  DEFINE
    B AS B.price < LAST(B.price, 1) OR (LAST(B.price, 1) IS NULL AND B.price < A.price),
    C AS C.price > LAST(B.price) * 1.05
) AS T;
