-- area: date-time functions
-- Daily active users from an epoch-millisecond field, with a DATE_FORMAT key and a time-zone aware timestamp.
SET 'table.local-time-zone' = 'Europe/Berlin';

CREATE TABLE app_events (
  user_id BIGINT,
  ts_ms BIGINT,
  ts AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND
) WITH ('connector' = 'datagen');

CREATE TABLE daily_active (day_key STRING, window_end TIMESTAMP_LTZ(3), dau BIGINT) WITH ('connector' = 'blackhole');

INSERT INTO daily_active
SELECT DATE_FORMAT(window_start, 'yyyyMMdd'), window_end, COUNT(DISTINCT user_id)
FROM TABLE(TUMBLE(TABLE app_events, DESCRIPTOR(ts), INTERVAL '1' DAY))
GROUP BY window_start, window_end;
