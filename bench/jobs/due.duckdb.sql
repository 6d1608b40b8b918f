-- The open follow-ups due by @TODAY@: for each customer the next date of
-- the latest event that touches the follow-up (one with a next date, or
-- any contact: not a purchase, refund, note, reassign or reschedule),
-- latest by day and then by place in the file.
COPY (
  WITH ev AS (
    SELECT row_number() OVER () AS rn, customer, substr(date, 1, 10) AS day,
           type, coalesce(next, '') AS next
    FROM read_csv('@LOG@', header = true, all_varchar = true)
  ), t AS (
    SELECT customer, day, rn, next FROM ev
    WHERE next <> '' OR type NOT IN ('purchase', 'refund', 'note', 'reassign', 'reschedule')
  ), l AS (
    SELECT customer, arg_max(next, day || lpad(CAST(rn AS VARCHAR), 12, '0')) AS due
    FROM t GROUP BY customer
  )
  SELECT customer, due FROM l WHERE due <> '' AND substr(due, 1, 10) <= '@TODAY@'
) TO '@OUT@' (HEADER, DELIMITER ',');
