-- area: statement sets
-- expect: 11:36 statement set is not closed: add END;
-- A statement set whose END was forgotten: the grammar does not notice.
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE a (id BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE b (id BIGINT) WITH ('connector' = 'blackhole');

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO a SELECT id FROM src;
  INSERT INTO b SELECT id FROM src;
