-- area: queries
-- expect: 6:1 ^unexpected 'SELEC'
CREATE TABLE src (id BIGINT, name STRING) WITH ('connector' = 'datagen');
CREATE TABLE dst (id BIGINT, name STRING) WITH ('connector' = 'blackhole');
INSERT INTO dst
SELEC id, name FROM src;
