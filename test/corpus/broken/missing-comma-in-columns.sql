-- area: DDL
-- expect: 6:3 ^unexpected 'order_time'
CREATE TABLE orders (
  order_id BIGINT,
  amount DOUBLE
  order_time TIMESTAMP(3)
) WITH ('connector' = 'datagen');
