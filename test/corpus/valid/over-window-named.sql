-- area: over windows
-- A named WINDOW clause shared by several aggregates, and the gap to the previous event in seconds (LAG in TIMESTAMPDIFF).
CREATE TABLE sensor_readings (
  sensor_id STRING,
  temperature DOUBLE,
  read_at TIMESTAMP(3),
  WATERMARK FOR read_at AS read_at - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'fields.sensor_id.length' = '1');

CREATE TABLE sensor_trends (
  sensor_id STRING, temperature DOUBLE, avg_1h DOUBLE, min_1h DOUBLE, max_1h DOUBLE, readings INT
) WITH ('connector' = 'blackhole');

CREATE TABLE sensor_gaps (sensor_id STRING, gap_s INT) WITH ('connector' = 'blackhole');

INSERT INTO sensor_trends
SELECT
  sensor_id,
  temperature,
  AVG(temperature) OVER w,
  MIN(temperature) OVER w,
  MAX(temperature) OVER w,
  CAST(COUNT(*) OVER w AS INT)
FROM sensor_readings
WINDOW w AS (PARTITION BY sensor_id ORDER BY read_at RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW);

INSERT INTO sensor_gaps
SELECT sensor_id, TIMESTAMPDIFF(SECOND, LAG(read_at) OVER (PARTITION BY sensor_id ORDER BY read_at), read_at)
FROM sensor_readings;
