.mode csv
.import @LOG@ log
.output @OUT@
.headers on
SELECT customer,
       sum(type = 'purchase') AS purchases,
       min(CASE WHEN type = 'purchase' THEN date END) AS first,
       max(CASE WHEN type = 'purchase' THEN date END) AS last,
       sum(CASE WHEN type = 'purchase' THEN amount + 0 ELSE -(amount + 0) END) AS revenue
FROM log
WHERE type IN ('purchase', 'refund')
GROUP BY customer;
