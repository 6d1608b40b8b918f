.mode csv
.import @LOG@ log
.output @OUT@
.headers on
WITH t AS (
  SELECT customer, substr(date, 1, 10) AS day, rowid AS rn, next FROM log
  WHERE next <> '' OR type NOT IN ('purchase', 'refund', 'note', 'reassign', 'reschedule')
), r AS (
  SELECT customer, next,
         row_number() OVER (PARTITION BY customer ORDER BY day DESC, rn DESC) AS k
  FROM t
)
SELECT customer, next AS due FROM r
WHERE k = 1 AND next <> '' AND substr(next, 1, 10) <= '@TODAY@';
