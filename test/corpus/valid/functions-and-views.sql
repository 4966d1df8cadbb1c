-- area: functions and views
-- String, math and conditional functions, a temporary system function, a temporary view and a WITH clause.
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS my_upper AS 'org.apache.flink.table.functions.BuiltInFunctionDefinitions' LANGUAGE JAVA;
DROP TEMPORARY SYSTEM FUNCTION IF EXISTS my_upper;

CREATE TABLE people (id BIGINT, first_name STRING, last_name STRING, email STRING, age INT)
WITH ('connector' = 'datagen', 'fields.email.length' = '10');

CREATE TEMPORARY VIEW adults (id, full_name, domain) AS
SELECT id, CONCAT_WS(' ', INITCAP(first_name), UPPER(last_name)), SPLIT_INDEX(email, '@', 1)
FROM people WHERE age >= 18;

CREATE TABLE people_out (id BIGINT, full_name STRING, domain STRING, code STRING, bucket INT)
WITH ('connector' = 'blackhole');

INSERT INTO people_out
WITH ranked AS (
  SELECT id, full_name, domain FROM adults WHERE domain IS NOT NULL
)
SELECT id, full_name, COALESCE(domain, 'unknown'), LPAD(CAST(MOD(id, 1000) AS STRING), 4, '0'),
  CAST(ROUND(ABS(id) / 10.0, 0) AS INT)
FROM ranked
WHERE REGEXP(full_name, '^[A-Z]') AND full_name NOT LIKE '%test%';
