-- area: session statements
-- SET and RESET of options, SHOW and EXPLAIN, ALTER TABLE and DROP.
SET 'parallelism.default' = '2';
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '2 s';
SET 'table.exec.mini-batch.size' = '5000';
RESET 'parallelism.default';

CREATE TABLE t (id BIGINT, v STRING) WITH ('connector' = 'datagen');
ALTER TABLE t SET ('rows-per-second' = '5');
ALTER TABLE t ADD (extra STRING COMMENT 'added later');
ALTER TABLE t RENAME extra TO note;
SHOW CREATE TABLE t;
SHOW FUNCTIONS;
SHOW JOBS;
EXPLAIN PLAN FOR SELECT id, UPPER(v) FROM t WHERE id > 10;
EXPLAIN ESTIMATED_COST, CHANGELOG_MODE SELECT v, COUNT(*) FROM t GROUP BY v;
DROP TABLE IF EXISTS t;
