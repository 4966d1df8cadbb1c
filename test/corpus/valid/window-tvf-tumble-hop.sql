-- area: window TVFs
-- Page views per minute (tumbling) and a sliding five-minute count (hopping) into two sinks.
CREATE TABLE page_views (
  user_id BIGINT,
  page STRING,
  view_time TIMESTAMP(3),
  WATERMARK FOR view_time AS view_time - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.page.length' = '3');

CREATE TABLE views_per_minute (
  window_start TIMESTAMP(3), window_end TIMESTAMP(3), page STRING, view_count BIGINT, user_count BIGINT
) WITH ('connector' = 'blackhole');

CREATE TABLE views_sliding (window_end TIMESTAMP(3), view_count BIGINT) WITH ('connector' = 'blackhole');

INSERT INTO views_per_minute
SELECT window_start, window_end, page, COUNT(*) AS view_count, COUNT(DISTINCT user_id) AS user_count
FROM TABLE(TUMBLE(TABLE page_views, DESCRIPTOR(view_time), INTERVAL '1' MINUTES))
GROUP BY window_start, window_end, page;

INSERT INTO views_sliding
SELECT window_end, COUNT(*)
FROM TABLE(HOP(TABLE page_views, DESCRIPTOR(view_time), INTERVAL '1' MINUTES, INTERVAL '5' MINUTES))
GROUP BY window_start, window_end;
