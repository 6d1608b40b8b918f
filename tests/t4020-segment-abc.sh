#!/bin/sh
test_description='crm-segment --abc: Pareto classes, key accounts, exact limits, ties'
. "$(dirname "$0")/lib.sh"

# shares_add_up FILE: columns 3 and 5 of a --summary add up to exactly
# 1.0000 (shares below zero included).
shares_add_up () {
	awk -F, 'NR > 1 { c += sprintf("%.0f", $3 * 10000); r += sprintf("%.0f", $5 * 10000) }
	END { if (c != 10000 || r != 10000) { print "shares add up to", c, r; exit 1 } }' "$1"
}

# The ABC reference, from crm-segment(1): values below zero count as
# zero; in decreasing order, a customer is A when those with a higher
# value bring less than A of the total, B when less than B, else C; the
# share is of those with a value at least as high.  Exact fractions.
cat >abc.py <<\EOF
import csv, sys
from decimal import Decimal
from fractions import Fraction

rows_file, field, a, b = sys.argv[1:5]
log_file = sys.argv[5] if len(sys.argv) > 5 else None
a, b = Fraction(a), Fraction(b)
rev = {}
if log_file:
    for e in csv.DictReader(open(log_file, encoding="utf-8")):
        if e["date"][:10] > "2026-11-23":
            continue
        sign = {"purchase": 1, "refund": -1}.get(e["type"], 0)
        if sign:
            rev[e["customer"]] = rev.get(e["customer"], Decimal(0)) + sign * Decimal(e["amount"])
rows = list(csv.reader(open(rows_file, encoding="utf-8")))
head, body = rows[0], rows[1:]
idc = head.index("id") if "id" in head else head.index("customer")
if field in head:
    vals = [Fraction(Decimal(r[head.index(field)] or "0")) for r in body]
else:
    vals = [Fraction(rev.get(r[idc], Decimal(0))) for r in body]
vals = [max(v, 0) for v in vals]
total = sum(vals)
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow([h for h in head] + ["abc_share", "abc"])
for r, v in zip(body, vals):
    if total == 0:
        w.writerow(r + ["", "C"])
        continue
    higher = sum(x for x in vals if x > v)
    upto = sum(x for x in vals if x >= v)
    cls = "A" if higher / total < a else "B" if higher / total < b else "C"
    share = float(upto.numerator * total.denominator) / float(total.numerator * upto.denominator)
    w.writerow(r + ["%.4f" % share, cls])
EOF

test_expect_success 'setup: customers and their purchases' '
	cat >customers.csv <<-\EOF &&
	id,name,tier
	c1,Иван Петров,key
	c2,Kari Nordmann,regular
	c3,Zuzana Kováčová,small
	c4,Jan Berg,
	c5,Eva Lind,small
	c6,Ольга Ким,regular
	c7,Pat Doe,
	EOF
	cat >log.csv <<-\EOF
	date,customer,type,amount
	2026-01-10,c1,purchase,5000
	2026-02-10,c1,purchase,2500.50
	2026-03-01,c2,purchase,1200
	2026-03-05,c3,purchase,1200
	2026-04-01,c4,purchase,300
	2026-04-20,c4,refund,50
	2026-05-01,c5,purchase,80
	2026-05-02,c6,purchase,10
	2026-05-03,c6,refund,25
	2026-12-01,c7,purchase,100000
	EOF
'

test_expect_success 'revenue from the log, as the reference has it' '
	crm-segment --abc revenue --log log.csv customers.csv >out &&
	$PY abc.py customers.csv revenue 0.8 0.95 log.csv >expect &&
	test_cmp expect out
'

test_expect_success 'and by hand' '
	# c1 7500.50, c2 = c3 1200, c4 250, c5 80, c6 -15 -> 0, c7 nothing
	# by today: total 10230.50.  c1: nobody higher -> A (0.7332); the
	# tie c2 c3: 0.7332 before -> A, together 9900.50 (0.9677); c4:
	# 0.9677 before, not below 0.95 -> C; c5 C; c6 and c7 (zero) C, 1.
	cat >expect <<-\EOF &&
	id,abc_share,abc
	c1,0.7332,A
	c2,0.9677,A
	c3,0.9677,A
	c4,0.9922,C
	c5,1.0000,C
	c6,1.0000,C
	c7,1.0000,C
	EOF
	crm-segment --abc revenue --log log.csv customers.csv | cut -d, -f1,4- >out &&
	test_cmp expect out
'

test_expect_success 'the limits are exact: who crosses the line is in the class' '
	cat >v.csv <<-\EOF &&
	id,v
	a,80
	b,15
	c,5
	d,0
	EOF
	# a: 0 before -> A; b: exactly 80% before -> B; c: exactly 95% -> C
	cat >expect <<-\EOF &&
	id,v,abc_share,abc
	a,80,0.8000,A
	b,15,0.9500,B
	c,5,1.0000,C
	d,0,1.0000,C
	EOF
	crm-segment --abc v v.csv >out &&
	test_cmp expect out
'

test_expect_success 'a value column with decimals (a crm-ltv clv), the customer column' '
	cat >clv.csv <<-\EOF &&
	customer,clv,note
	x1,1234.567891,"one, with a comma"
	x2,99.5,
	x3,,no value is zero
	x4,-12.25,below zero is zero
	x5,3000,
	x6,99.5,
	x7,0.000001,
	EOF
	crm-segment --abc clv clv.csv >out &&
	$PY abc.py clv.csv clv 0.8 0.95 >expect &&
	test_cmp expect out
'

test_expect_success 'with the rows as JSON Lines' '
	$PY -c "import csv, json, sys
for r in csv.DictReader(open(\"clv.csv\")): print(json.dumps(r, ensure_ascii=False))" \
	    >clv.jsonl &&
	crm-segment --abc clv --csv clv.jsonl >out &&
	crm-segment --abc clv clv.csv >expect &&
	test_cmp expect out
'

test_expect_success 'other limits, as fractions or percentages' '
	crm-segment --abc revenue --abc-limits 0.5,0.9 --log log.csv customers.csv >out &&
	$PY abc.py customers.csv revenue 0.5 0.9 log.csv >expect &&
	test_cmp expect out &&
	crm-segment --abc revenue --abc-limits 50%,90% --log log.csv customers.csv >pct &&
	test_cmp expect pct
'

test_expect_success 'a thousand customers with the same value are all A' '
	awk "BEGIN { print \"id,v\"; for (i = 1; i <= 1000; i++) print \"k\" i \",42.42\" }" \
	    >k.csv &&
	crm-segment --abc v k.csv | sed 1d | cut -d, -f3- | sort -u >out &&
	echo "1.0000,A" >expect &&
	test_cmp expect out
'

test_expect_success 'nothing to share: everyone is C, with no share' '
	printf "id,v\na,0\nb,\nc,-5\n" >zero.csv &&
	printf "id,v,abc_share,abc\na,0,,C\nb,,,C\nc,-5,,C\n" >expect &&
	crm-segment --abc v zero.csv >out &&
	test_cmp expect out
'

test_expect_success 'a column in the rows is used, not the log' '
	printf "id,revenue\nc1,1\nc2,100\n" >own.csv &&
	CRM_DIR=$TRASH/nowhere crm-segment --abc revenue own.csv >out &&
	printf "id,revenue,abc_share,abc\nc1,1,1.0000,C\nc2,100,0.9901,A\n" >expect &&
	test_cmp expect out
'

test_expect_success 'a bad value is refused with its file and line' '
	printf "id,clv\na,1\nb,1,5\n" >bad.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv:3: 3 fields where the header has 2" \
	    crm-segment --abc clv bad.csv &&
	printf "id,clv\na,1\nb,\"1,5\"\n" >bad.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv:3: invalid number '"'"'1,5'"'"' in column '"'"'clv'"'"'" \
	    crm-segment --abc clv bad.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv: no column '"'"'ltv'"'"'" \
	    crm-segment --abc ltv bad.csv
'

test_expect_success 'the summary: A, B, C with their revenue and contribution' '
	crm-segment --abc revenue --summary --margin 0.1 --log log.csv customers.csv >out &&
	# A: c1 c2 c3 = 9900.50; C: c4 250 + c5 80 + c6 -15 + c7 0 = 315;
	# of 10215.50: 0.96916... and 0.03083...: floors 9691 and 308, the
	# point to the larger remainder (.6 of A).
	cat >expect <<-\EOF &&
	abc,customers,customers_share,revenue,revenue_share,contribution
	A,3,0.4286,9900.50,0.9692,990.05
	C,4,0.5714,315.00,0.0308,31.50
	EOF
	test_cmp expect out &&
	shares_add_up out
'

test_expect_success 'bad limits are usage errors' '
	test_fails_cleanly 2 "crm-segment: --abc-limits: '"'"'0.9,0.8'"'"' must have 0 < A <= B <= 1
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --abc v --abc-limits 0.9,0.8 v.csv &&
	test_fails_cleanly 2 "crm-segment: --abc-limits goes with --abc
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --rfm --abc-limits 0.5,0.6 v.csv
'

test_done
