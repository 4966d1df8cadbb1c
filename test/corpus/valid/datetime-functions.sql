-- area: date-time functions
-- Epoch seconds turned into hours and days, durations between timestamps, time zones (issue 10: FROM_UNIXTIME, TIMESTAMPDIFF).
CREATE TABLE events (
  event_id BIGINT,
  ts_sec BIGINT,
  started_at TIMESTAMP(3),
  ended_at TIMESTAMP(3),
  ts_ltz AS TO_TIMESTAMP_LTZ(ts_sec * 1000, 3),
  event_time AS TO_TIMESTAMP(FROM_UNIXTIME(ts_sec)),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'fields.ts_sec.min' = '1700000000', 'fields.ts_sec.max' = '1800000000');

CREATE TABLE hourly (hour_start TIMESTAMP(3), events BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE durations (
  event_id BIGINT, day_str STRING, hour_of_day BIGINT, secs INT, mins INT, days_old INT, shanghai STRING,
  next_day DATE, week_start TIMESTAMP(3)
) WITH ('connector' = 'blackhole');

INSERT INTO hourly
SELECT FLOOR(TO_TIMESTAMP(FROM_UNIXTIME(ts_sec)) TO HOUR) AS hour_start, COUNT(*) AS events
FROM events
GROUP BY FLOOR(TO_TIMESTAMP(FROM_UNIXTIME(ts_sec)) TO HOUR);

INSERT INTO durations
SELECT
  event_id,
  FROM_UNIXTIME(ts_sec, 'yyyy-MM-dd'),
  EXTRACT(HOUR FROM TO_TIMESTAMP(FROM_UNIXTIME(ts_sec))),
  TIMESTAMPDIFF(SECOND, started_at, ended_at),
  TIMESTAMPDIFF(MINUTE, started_at, ended_at),
  TIMESTAMPDIFF(DAY, started_at, LOCALTIMESTAMP),
  CONVERT_TZ(DATE_FORMAT(started_at, 'yyyy-MM-dd HH:mm:ss'), 'UTC', 'Asia/Shanghai'),
  CAST(TIMESTAMPADD(DAY, 1, started_at) AS DATE),
  CEIL(started_at TO DAY) - INTERVAL '7' DAY
FROM events
WHERE TIMESTAMPDIFF(HOUR, started_at, ended_at) < 24 AND UNIX_TIMESTAMP() - ts_sec < 86400 * 30;
