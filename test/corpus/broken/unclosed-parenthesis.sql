-- area: queries
-- expect: 4:24 ^unexpected 'FROM'
CREATE TABLE t (a INT, b INT) WITH ('connector' = 'datagen');
SELECT COUNT(a, SUM(b) FROM t;
