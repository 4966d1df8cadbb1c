-- area: DDL
-- expect: 6:13 missing 'FOR'
CREATE TABLE t (
  a INT,
  ts TIMESTAMP(3),
  WATERMARK ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');
