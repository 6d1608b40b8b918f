.mode csv
.import @LOG@ log
.output @OUT@
.headers on
WITH c AS (
  SELECT customer,
         max(CASE WHEN type = 'purchase' THEN substr(date, 1, 10) END) AS last,
         count(DISTINCT CASE WHEN type = 'purchase' THEN substr(date, 1, 10) END) AS f,
         CAST(round(sum(CASE WHEN type = 'purchase' THEN amount + 0 ELSE -(amount + 0) END) * 100) AS INTEGER) AS m
  FROM log
  WHERE type IN ('purchase', 'refund') AND substr(date, 1, 10) <= '@TODAY@'
  GROUP BY customer
  HAVING sum(type = 'purchase') > 0
), s AS (
  SELECT customer,
         rank() OVER (ORDER BY last) - 1 AS lr, count(*) OVER (PARTITION BY last) AS kr,
         rank() OVER (ORDER BY f) - 1 AS lf, count(*) OVER (PARTITION BY f) AS kf,
         rank() OVER (ORDER BY m) - 1 AS lm, count(*) OVER (PARTITION BY m) AS km,
         count(*) OVER () AS n
  FROM c
)
SELECT customer,
       1 + (5 * (2 * lr + kr)) / (2 * n) AS r,
       1 + (5 * (2 * lf + kf)) / (2 * n) AS f,
       1 + (5 * (2 * lm + km)) / (2 * n) AS m
FROM s;
