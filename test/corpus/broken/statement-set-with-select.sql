-- area: statement sets
-- expect: 8:3 ^unexpected 'SELECT' .*'INSERT'
-- Only INSERTs may stand in a statement set.
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
EXECUTE STATEMENT SET
BEGIN
  INSERT INTO a SELECT id FROM src;
  SELECT id FROM src;
END;
