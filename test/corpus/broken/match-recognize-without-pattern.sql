-- area: CEP
-- expect: 9:3 ^unexpected 'DEFINE' .*'PATTERN'
CREATE TABLE t (k STRING, v DOUBLE, rt TIMESTAMP(3), WATERMARK FOR rt AS rt) WITH ('connector' = 'datagen');
SELECT * FROM t
MATCH_RECOGNIZE (
  PARTITION BY k
  ORDER BY rt
  MEASURES A.v AS av
  DEFINE A AS A.v > 10
) AS m;
