-- RFM scores 1-5 by crm-segment's tie rule: a value held by k of the n
-- customers who bought, with l customers worse, scores
-- 1 + floor(5 (l + k/2) / n).  R by the last purchase (later is better),
-- F by distinct purchase days, M by revenue in cents.
COPY (
  WITH c AS (
    SELECT customer,
           max(date) FILTER (WHERE type = 'purchase') AS last,
           count(DISTINCT date) FILTER (WHERE type = 'purchase') AS f,
           round(sum(CASE WHEN type = 'purchase' THEN amount ELSE -amount END) * 100) AS m
    FROM read_csv('@LOG@', header = true, auto_detect = true)
    WHERE type IN ('purchase', 'refund') AND date <= DATE '@TODAY@'
    GROUP BY customer
    HAVING count(*) FILTER (WHERE type = 'purchase') > 0
  ), s AS (
    SELECT customer,
           rank() OVER (ORDER BY last) - 1 AS lr, count(*) OVER (PARTITION BY last) AS kr,
           rank() OVER (ORDER BY f) - 1 AS lf, count(*) OVER (PARTITION BY f) AS kf,
           rank() OVER (ORDER BY m) - 1 AS lm, count(*) OVER (PARTITION BY m) AS km,
           count(*) OVER () AS n
    FROM c
  )
  SELECT customer,
         1 + (5 * (2 * lr + kr)) // (2 * n) AS r,
         1 + (5 * (2 * lf + kf)) // (2 * n) AS f,
         1 + (5 * (2 * lm + km)) // (2 * n) AS m
  FROM s
) TO '@OUT@' (HEADER, DELIMITER ',');
