-- area: CTAS
-- A table created from a query (CTAS), and a table that copies another's schema with LIKE.
CREATE TABLE clicks (
  user_id BIGINT, url STRING, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'fields.url.length' = '8', 'number-of-rows' = '20');

CREATE TABLE clicks_copy WITH ('connector' = 'blackhole')
LIKE clicks (EXCLUDING OPTIONS);

CREATE TABLE clicks_per_user WITH ('connector' = 'blackhole')
AS SELECT user_id, COUNT(*) AS clicks FROM clicks GROUP BY user_id;

INSERT INTO clicks_copy SELECT * FROM clicks;
