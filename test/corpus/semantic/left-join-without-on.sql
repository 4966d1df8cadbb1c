-- area: joins
-- expect: join requires a condition
CREATE TABLE a (id INT) WITH ('connector' = 'datagen');
CREATE TABLE b (id INT) WITH ('connector' = 'datagen');
SELECT a.id
FROM a LEFT JOIN b
WHERE a.id > 1;
