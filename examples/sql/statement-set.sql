-- title: One source, two sinks (statement set)
-- description: Reads clicks once and writes them to two sinks in a single job with EXECUTE STATEMENT SET: every click of a logged-in user to one sink, and clicks per page per 10 seconds to another. Use it when several outputs share the same source, so the source is read only once.
-- tags: statement-set, window, aggregation

-- user_id 0 stands for a visitor who is not logged in.
CREATE TABLE clicks (
  user_id INT,
  page_id INT,
  referrer STRING,
  click_time TIMESTAMP(3),
  WATERMARK FOR click_time AS click_time - INTERVAL '2' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.user_id.min' = '0',
  'fields.user_id.max' = '5',
  'fields.page_id.min' = '1',
  'fields.page_id.max' = '5',
  'fields.referrer.length' = '5'
);

CREATE TABLE user_clicks (
  user_id INT,
  page_id INT,
  click_time TIMESTAMP(3)
) WITH (
  'connector' = 'print',
  'print-identifier' = 'user-clicks'
);

CREATE TABLE clicks_per_page (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  page_id INT,
  clicks BIGINT
) WITH (
  'connector' = 'print',
  'print-identifier' = 'clicks-per-page'
);

-- Both INSERTs are planned together as one job that reads the clicks source once.
EXECUTE STATEMENT SET
BEGIN
  INSERT INTO user_clicks
  SELECT user_id, page_id, click_time
  FROM clicks
  WHERE user_id > 0;

  INSERT INTO clicks_per_page
  SELECT window_start, window_end, page_id, COUNT(*) AS clicks
  FROM TABLE(
    TUMBLE(TABLE clicks, DESCRIPTOR(click_time), INTERVAL '10' SECOND)
  )
  GROUP BY window_start, window_end, page_id;
END;
