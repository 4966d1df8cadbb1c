-- area: statement sets
-- The SQL client's form of a statement set: BEGIN STATEMENT SET; ... END;
SET 'pipeline.name' = 'fan-out';
CREATE TABLE src (id BIGINT, kind STRING) WITH ('connector' = 'datagen', 'fields.kind.length' = '1');
CREATE TABLE sink_a (id BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE sink_b (id BIGINT, kind STRING) WITH ('connector' = 'blackhole');

BEGIN STATEMENT SET;
INSERT INTO sink_a SELECT id FROM src WHERE kind = 'a';
INSERT INTO sink_b SELECT id, kind FROM src WHERE kind <> 'a';
END;
