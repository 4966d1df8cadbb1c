-- area: joins
-- expect: 5:17 'year' is a reserved word
CREATE TABLE f (id BIGINT, dk INT) WITH ('connector' = 'datagen');
CREATE TABLE d (dk INT, `year` INT) WITH ('connector' = 'datagen');
SELECT f.id, dd.year
FROM f LEFT JOIN d AS dd ON f.dk = dd.dk;
