-- area: queries
-- Deduplication keeping the first event per key, a top-N per category, and grouping sets.
CREATE TABLE events (
  event_id STRING, category STRING, score INT, proc_time AS PROCTIME()
) WITH ('connector' = 'datagen', 'fields.event_id.length' = '4', 'fields.category.length' = '1');

CREATE TABLE first_events (event_id STRING, category STRING, score INT) WITH ('connector' = 'blackhole');
CREATE TABLE top_scores (category STRING, event_id STRING, score INT, rnk BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE rollup_scores (category STRING, total BIGINT, cnt BIGINT) WITH ('connector' = 'blackhole');

INSERT INTO first_events
SELECT event_id, category, score FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY proc_time ASC) AS row_num FROM events
) WHERE row_num = 1;

INSERT INTO top_scores
SELECT category, event_id, score, rnk FROM (
  SELECT category, event_id, score, ROW_NUMBER() OVER (PARTITION BY category ORDER BY score DESC) AS rnk FROM events
) WHERE rnk <= 5;

INSERT INTO rollup_scores
SELECT category, SUM(score), COUNT(*) FILTER (WHERE score > 50)
FROM events
GROUP BY GROUPING SETS ((category), ());
