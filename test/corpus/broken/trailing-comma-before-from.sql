-- area: queries
-- expect: 9:1 ^unexpected 'FROM'
CREATE TABLE t (a INT, b INT) WITH ('connector' = 'datagen');
CREATE TABLE s (a INT, b INT) WITH ('connector' = 'blackhole');
INSERT INTO s
SELECT
  a,
  b,
FROM t;
