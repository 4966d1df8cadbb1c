-- area: CEP
-- Three failed logins followed by a success from another country within ten minutes.
CREATE TABLE logins (
  user_id BIGINT, success BOOLEAN, country STRING, login_time TIMESTAMP(3),
  WATERMARK FOR login_time AS login_time - INTERVAL '1' SECOND
) WITH ('connector' = 'datagen', 'fields.country.length' = '2');

CREATE TABLE suspicious_logins (user_id BIGINT, failures BIGINT, first_fail TIMESTAMP(3), success_at TIMESTAMP(3), country STRING)
WITH ('connector' = 'blackhole');

INSERT INTO suspicious_logins
SELECT user_id, failures, first_fail, success_at, country
FROM logins
MATCH_RECOGNIZE (
  PARTITION BY user_id
  ORDER BY login_time
  MEASURES
    COUNT(F.user_id) AS failures,
    FIRST(F.login_time) AS first_fail,
    S.login_time AS success_at,
    S.country AS country
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO NEXT ROW
  PATTERN (F{3,} S) WITHIN INTERVAL '10' MINUTE
  DEFINE
    F AS NOT F.success,
    S AS S.success AND S.country <> FIRST(F.country)
);
