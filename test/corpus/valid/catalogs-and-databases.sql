-- area: catalogs
-- A catalog and database of their own, tables named by their full path, functions and views in them.
CREATE CATALOG lake WITH ('type' = 'generic_in_memory');
USE CATALOG lake;
CREATE DATABASE IF NOT EXISTS sales COMMENT 'the sales team';
USE sales;

CREATE TABLE lake.sales.orders (
  id BIGINT, amount DOUBLE, country STRING
) COMMENT 'raw orders' WITH ('connector' = 'datagen', 'fields.country.length' = '2');

CREATE TABLE `lake`.`sales`.`by_country` (country STRING, total DOUBLE) WITH ('connector' = 'blackhole');

CREATE VIEW IF NOT EXISTS big_orders AS SELECT * FROM orders WHERE amount > 100;

SHOW TABLES;
SHOW CURRENT DATABASE;
DESCRIBE orders;

INSERT INTO lake.sales.by_country
SELECT country, SUM(amount) FROM big_orders GROUP BY country;

USE CATALOG default_catalog;
