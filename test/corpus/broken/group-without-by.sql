-- area: queries
-- expect: 6:7 missing 'BY'
CREATE TABLE t (city STRING, amount DOUBLE) WITH ('connector' = 'datagen');
SELECT city, SUM(amount)
FROM t
GROUP city;
