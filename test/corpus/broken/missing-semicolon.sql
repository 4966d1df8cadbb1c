-- area: session statements
-- expect: 5:1 ^unexpected 'CREATE'
-- The semicolon after the first statement is missing: two statements run together.
CREATE TABLE t (a INT) WITH ('connector' = 'datagen')
CREATE TABLE s (a INT) WITH ('connector' = 'blackhole');
