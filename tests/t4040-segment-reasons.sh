#!/bin/sh
test_description='crm-segment --reasons: why customers leave, what they complain of, and the money'
. "$(dirname "$0")/lib.sh"

# The reasons reference, from crm-segment(1): churn events, then
# complaints, of the rows' customers up to today, grouped by outcome,
# else note, else (none); per group the events, their share of the kind
# (largest remainders), the customers, and the revenue each brought in
# the window up to their latest event of the group (months back to the
# same day, or the month's last).
cat >reasons.py <<\EOF
import calendar, csv, datetime, sys
from decimal import Decimal
from fractions import Fraction

rows_file, log_file, months = sys.argv[1], sys.argv[2], int(sys.argv[3])
today = "2026-11-23"

def back(day, n):
    d = datetime.date.fromisoformat(day)
    m = d.year * 12 + d.month - 1 - n
    y, mo = divmod(m, 12)
    return datetime.date(y, mo + 1, min(d.day, calendar.monthrange(y, mo + 1)[1])).isoformat()

def shares(nums):
    total = sum(nums)
    exact = [Fraction(n) * 10000 / total for n in nums]
    bp = [e.numerator // e.denominator for e in exact]
    order = sorted(range(len(nums)), key=lambda i: (-(exact[i] - bp[i]), i))
    for i in order[:10000 - sum(bp)]:
        bp[i] += 1
    return ["%d.%04d" % (b // 10000, b % 10000) for b in bp]

ids = {r["id"] for r in csv.DictReader(open(rows_file, encoding="utf-8"))}
money, groups = [], {}
for e in csv.DictReader(open(log_file, encoding="utf-8")):
    day = e["date"][:10]
    if day > today or e["customer"] not in ids:
        continue
    if e["type"] in ("purchase", "refund"):
        sign = 1 if e["type"] == "purchase" else -1
        money.append((e["customer"], day, sign * Decimal(e["amount"])))
    elif e["type"] in ("churn", "complaint"):
        why = e["outcome"] or e["note"] or "(none)"
        g = groups.setdefault((e["type"], why), {"n": 0, "last": {}})
        g["n"] += 1
        g["last"][e["customer"]] = max(g["last"].get(e["customer"], ""), day)
out = []
for (kind, why), g in groups.items():
    rev = sum((a for c, d, a in money if c in g["last"]
               and back(g["last"][c], months) < d <= g["last"][c]), Decimal(0))
    out.append((0 if kind == "churn" else 1, -g["n"], -rev, why.encode(), kind, why, g["n"], len(g["last"]), rev))
out.sort()
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["kind", "reason", "count", "share", "customers", "revenue"])
for k in (0, 1):
    part = [o for o in out if o[0] == k]
    for o, s in zip(part, shares([o[6] for o in part]) if part else []):
        w.writerow([o[4], o[5], o[6], s, o[7], "%.2f" % o[8]])
EOF

test_expect_success 'setup' '
	printf "%s\n" id a b c d e >rows.csv &&
	cat >log.csv <<-\EOF
	date,customer,type,amount,outcome,note
	2025-06-01,a,purchase,100,,
	2025-07-01,a,purchase,200,,
	2025-07-02,a,purchase,300,,
	2026-01-01,a,refund,25,,
	2026-03-03,a,complaint,,replaced,
	2026-07-01,a,purchase,50,,
	2026-07-01,a,churn,,price,
	2026-12-01,a,churn,,later,
	2026-02-28,b,purchase,1000,,
	2026-03-31,b,churn,,price,
	2026-10-01,b,churn,,price,again
	2026-05-01,c,purchase,70,,
	2026-05-05,c,churn,,,"moved to Oslo"
	2026-08-08,d,churn,,,
	2026-01-01,e,purchase,10,,
	2026-09-09,e,complaint,,replaced,
	2026-10-10,e,complaint,,,slow
	2026-11-01,e,complaint,,,
	2026-06-06,f,churn,,price,
	2026-06-01,f,purchase,99999,,
	EOF
'

test_expect_success 'churn and complaints by reason, as worked out by hand' '
	# churn "price": a on 07-01, b on 03-31 and 10-01: 3 events, 2
	# customers.  a in (2025-07-01, 2026-07-01]: 300 - 25 + 50 = 325 (the
	# 200 of exactly a year before is out); b in the year to 10-01: 1000.
	# "moved to Oslo" (a note): c, 70.  (none): d, nothing.  f is not in
	# the rows; a churn after today is not yet.  Shares 3/5 1/5 1/5.
	# complaints "replaced": e 09-09 (10 since 2025-09-09) and a 03-03
	# (100 + 200 + 300 - 25 = 575): 585.  "slow" and (none): e, 10 each,
	# equal in count and revenue: by name, "(" before "s".
	cat >expect <<-\EOF &&
	kind,reason,count,share,customers,revenue
	churn,price,3,0.6000,2,1325.00
	churn,moved to Oslo,1,0.2000,1,70.00
	churn,(none),1,0.2000,1,0.00
	complaint,replaced,2,0.5000,2,585.00
	complaint,(none),1,0.2500,1,10.00
	complaint,slow,1,0.2500,1,10.00
	EOF
	crm-segment --reasons --log log.csv rows.csv >out &&
	test_cmp expect out &&
	$PY reasons.py rows.csv log.csv 12 >ref &&
	test_cmp ref out
'

test_expect_success 'a window of six months' '
	crm-segment --reasons --window 6m --log log.csv rows.csv >out &&
	$PY reasons.py rows.csv log.csv 6 >expect &&
	test_cmp expect out &&
	# a refund on the first day of the window is outside it: price is
	# a 50 and b nothing; "replaced" is a -25 in (2025-09-03, 2026-03-03].
	grep "^churn,price,3,0.6000,2,50.00\$" out &&
	grep "^complaint,replaced,2,0.5000,2,-25.00\$" out
'

test_expect_success 'only the customers of the rows count' '
	printf "id\nb\ne\n" >two.csv &&
	crm-segment --reasons --log log.csv two.csv >out &&
	$PY reasons.py two.csv log.csv 12 >expect &&
	test_cmp expect out &&
	grep "^churn,price,2,1.0000,1,1000.00\$" out
'

test_expect_success 'nothing to report: the header alone' '
	printf "date,customer,type,amount\n2026-11-01,a,purchase,5\n" >quiet.csv &&
	crm-segment --reasons --log quiet.csv rows.csv >out &&
	echo kind,reason,count,share,customers,revenue >expect &&
	test_cmp expect out &&
	crm-segment --reasons --table --log quiet.csv rows.csv >out &&
	test_must_be_empty out
'

test_expect_success 'JSON Lines and the terminal' '
	crm-segment --reasons --json --log log.csv rows.csv | head -n 1 >out &&
	echo "{\"kind\":\"churn\",\"reason\":\"price\",\"count\":3,\"share\":0.6,\"customers\":2,\"revenue\":1325.0}" >expect &&
	test_cmp expect out &&
	crm-segment --reasons --table --log log.csv rows.csv >out &&
	# A bar of 20 cells for 100%; the share column as wide as its widest
	# cell, "60.00% " and 12 blocks.
	cat >expect <<-\EOF &&
	kind       reason         count  share                customers  revenue
	churn      price              3  60.00% ████████████          2  1325.00
	churn      moved to Oslo      1  20.00% ████                  1    70.00
	churn      (none)             1  20.00% ████                  1     0.00
	complaint  replaced           2  50.00% ██████████            2   585.00
	complaint  (none)             1  25.00% █████                 1    10.00
	complaint  slow               1  25.00% █████                 1    10.00
	EOF
	test_cmp expect out
'

test_expect_success 'the store: crm-log churn with an outcome' '
	crm-add --name "Иван Петров" >/dev/null &&
	crm-log c1 purchase --amount 1200.50 --date 2026-02-01 &&
	crm-log c1 churn --outcome "went to a competitor" &&
	crm-segment --reasons >out &&
	cat >expect <<-\EOF &&
	kind,reason,count,share,customers,revenue
	churn,went to a competitor,1,1.0000,1,1200.50
	EOF
	test_cmp expect out
'

test_expect_success 'reasons are a report of their own' '
	test_fails_cleanly 2 "crm-segment: --reasons is a report of its own: not with --by, --rfm, --abc, --lifecycle or --summary
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --reasons --summary rows.csv &&
	test_fails_cleanly 2 "crm-segment: --window goes with --reasons
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --rfm --window 6m rows.csv &&
	printf "customer,purchases,days,first,last,revenue,frequency,recency,T,monetary,unit\n" >sum.csv &&
	test_fails_cleanly 1 "crm-segment: --reasons needs the events of the log, not a summary" \
	    crm-segment --reasons --log sum.csv rows.csv
'

test_done
