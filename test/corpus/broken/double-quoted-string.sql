-- area: queries
-- expect: 5:30 ^double quotes do not make a string
-- Flink SQL strings take single quotes; double quotes are not a string.
CREATE TABLE t (a INT, city STRING) WITH ('connector' = 'datagen');
SELECT a FROM t WHERE city = "Berlin";
