-- area: DDL
-- expect: 3:30 ^unexpected 'connector'
CREATE TABLE t (a INT) WITH (connector = 'datagen');
