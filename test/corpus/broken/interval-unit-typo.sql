-- area: date-time functions
-- expect: 4:22 ^unexpected 'SECONDS'
CREATE TABLE t (a INT, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
SELECT TIMESTAMPDIFF(SECONDS, ts, CURRENT_TIMESTAMP) FROM t;
