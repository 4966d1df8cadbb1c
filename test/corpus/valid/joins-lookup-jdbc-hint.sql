-- area: temporal and lookup joins
-- Clicks enriched from a PostgreSQL dimension table at processing time, with a LOOKUP retry hint.
CREATE TABLE clicks (
  user_id INT, url STRING, proc_time AS PROCTIME()
) WITH ('connector' = 'datagen', 'fields.user_id.min' = '1', 'fields.user_id.max' = '100');

CREATE TABLE dim_users (
  id INT, name STRING, country STRING, PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://localhost:5432/app',
  'table-name' = 'users',
  'lookup.cache' = 'PARTIAL',
  'lookup.partial-cache.max-rows' = '10000',
  'lookup.partial-cache.expire-after-write' = '10 min'
);

CREATE TABLE enriched_clicks (user_id INT, name STRING, country STRING, url STRING) WITH ('connector' = 'blackhole');

INSERT INTO enriched_clicks
SELECT /*+ LOOKUP('table'='u', 'retry-predicate'='lookup_miss', 'retry-strategy'='fixed_delay', 'fixed-delay'='1s', 'max-attempts'='3') */
  c.user_id, u.name, u.country, c.url
FROM clicks AS c
JOIN dim_users FOR SYSTEM_TIME AS OF c.proc_time AS u
ON c.user_id = u.id;
