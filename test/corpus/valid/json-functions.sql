-- area: JSON functions
-- Raw JSON payloads read with JSON_VALUE / JSON_QUERY / JSON_EXISTS and built with JSON_OBJECT / JSON_ARRAYAGG.
CREATE TABLE raw_events (
  id BIGINT, payload STRING, proc_time AS PROCTIME()
) WITH ('connector' = 'datagen');

CREATE TABLE parsed (id BIGINT, user_id INT, city STRING, items STRING, has_coupon BOOLEAN, doc STRING)
WITH ('connector' = 'blackhole');
CREATE TABLE per_city (city STRING, ids STRING, summary STRING) WITH ('connector' = 'blackhole');

INSERT INTO parsed
SELECT
  id,
  JSON_VALUE(payload, '$.user.id' RETURNING INT DEFAULT -1 ON EMPTY DEFAULT -2 ON ERROR),
  JSON_VALUE(payload, '$.user.address.city'),
  JSON_QUERY(payload, '$.items' WITH CONDITIONAL ARRAY WRAPPER),
  JSON_EXISTS(payload, '$.coupon'),
  JSON_OBJECT(KEY 'id' VALUE id, KEY 'valid' VALUE payload IS JSON OBJECT ABSENT ON NULL)
FROM raw_events;

INSERT INTO per_city
SELECT
  JSON_VALUE(payload, '$.city') AS city,
  JSON_ARRAYAGG(id),
  JSON_STRING(JSON_OBJECTAGG(KEY CAST(id AS STRING) VALUE JSON_VALUE(payload, '$.name')))
FROM raw_events
GROUP BY JSON_VALUE(payload, '$.city');
