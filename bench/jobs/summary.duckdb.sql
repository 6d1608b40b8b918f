-- Per customer: purchases, revenue (purchases minus refunds), first and
-- last purchase.  @LOG@ and @OUT@ are filled in by bench.py.
COPY (
  SELECT customer,
         count(*) FILTER (WHERE type = 'purchase') AS purchases,
         min(date) FILTER (WHERE type = 'purchase') AS first,
         max(date) FILTER (WHERE type = 'purchase') AS last,
         sum(CASE WHEN type = 'purchase' THEN amount ELSE -amount END) AS revenue
  FROM read_csv('@LOG@', header = true, auto_detect = true)
  WHERE type IN ('purchase', 'refund')
  GROUP BY customer
) TO '@OUT@' (HEADER, DELIMITER ',');
