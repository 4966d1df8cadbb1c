-- title: Session windows of user activity
-- description: Groups each user's clicks into sessions that close after 5 seconds without a click, using the SESSION window table function (Flink 1.19+). Use it to measure visits rather than fixed periods.
-- tags: window, session, event-time

-- Each user clicks every few seconds on average, so gaps longer than 5 seconds are common and
-- sessions close often.
CREATE TABLE clicks (
  user_id INT,
  url STRING,
  click_time TIMESTAMP(3),
  WATERMARK FOR click_time AS click_time - INTERVAL '1' SECOND
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '2',
  'fields.user_id.min' = '1',
  'fields.user_id.max' = '20',
  'fields.url.length' = '8'
);

CREATE TABLE user_sessions (
  user_id INT,
  session_start TIMESTAMP(3),
  session_end TIMESTAMP(3),
  click_count BIGINT
) WITH (
  'connector' = 'print'
);

-- PARTITION BY gives each user sessions of their own; a session ends when the user's next click
-- is more than 5 seconds after the previous one.
INSERT INTO user_sessions
SELECT user_id, window_start, window_end, COUNT(*) AS click_count
FROM TABLE(
  SESSION(TABLE clicks PARTITION BY user_id, DESCRIPTOR(click_time), INTERVAL '5' SECOND)
)
GROUP BY user_id, window_start, window_end;
