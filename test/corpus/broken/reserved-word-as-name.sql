-- area: DDL
-- expect: 6:3 'value' is a reserved word
-- `value` and `timestamp` are reserved in Flink SQL: unquoted they cannot name a column.
CREATE TABLE readings (
  sensor STRING,
  value DOUBLE,
  ts TIMESTAMP(3)
) WITH ('connector' = 'datagen');
