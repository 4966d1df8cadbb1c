-- title: Hopping-window page views
-- description: Counts page views and distinct users per page over the last 30 seconds, updated every 10 seconds, with the HOP window table function. Use it for moving totals such as "views in the last hour, every minute".
-- tags: window, aggregation, event-time

CREATE TABLE page_views (
  user_id INT,
  page_id INT,
  view_time TIMESTAMP(3),
  WATERMARK FOR view_time AS view_time - INTERVAL '2' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.user_id.min' = '1',
  'fields.user_id.max' = '20',
  'fields.page_id.min' = '1',
  'fields.page_id.max' = '5'
);

CREATE TABLE page_activity (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  page_id INT,
  view_count BIGINT,
  unique_users BIGINT
) WITH (
  'connector' = 'print'
);

-- HOP takes the slide first and the size second: every 10 seconds a new 30-second
-- window starts, so each row belongs to three windows.
INSERT INTO page_activity
SELECT
  window_start,
  window_end,
  page_id,
  COUNT(*) AS view_count,
  COUNT(DISTINCT user_id) AS unique_users
FROM TABLE(
  HOP(TABLE page_views, DESCRIPTOR(view_time), INTERVAL '10' SECOND, INTERVAL '30' SECOND)
)
GROUP BY window_start, window_end, page_id;
