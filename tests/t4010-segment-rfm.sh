#!/bin/sh
test_description='crm-segment --rfm: quintile scores, ties, the segment table, summaries'
. "$(dirname "$0")/lib.sh"

# shares_add_up FILE: columns 3 and 5 of a --summary add up to exactly
# 1.0000 (shares below zero included).
shares_add_up () {
	awk -F, 'NR > 1 { c += sprintf("%.0f", $3 * 10000); r += sprintf("%.0f", $5 * 10000) }
	END { if (c != 10000 || r != 10000) { print "shares add up to", c, r; exit 1 } }' "$1"
}

# An RFM reference written from crm-segment(1), not from the code: R is
# the last purchase day (later is better), F the distinct purchase days,
# M purchases minus refunds, all up to today; a value held by k of n
# customers with L worse ones scores 1 + floor(5 (L + k/2) / n), counted
# out pair by pair; the first rule of the table that holds wins.
cat >rfm.py <<\EOF
import csv, sys
from decimal import Decimal

DEFAULT = """name,r,f,m
Champions,4-5,4-5,4-5
Loyal Customers,3-5,4-5,*
Potential Loyalist,3-5,3,*
New Customers,4-5,1-2,*
Promising,3,1-2,*
Can't Lose Them,1,4-5,4-5
At Risk,1-2,4-5,*
Need Attention,2,3,*
About To Sleep,2,1-2,*
Hibernating,1,3,*
Lost,1,1-2,*
"""

def rng(s):
    s = s.strip()
    if s in ("", "*"):
        return (1, 5)
    a, _, b = s.partition("-")
    return (int(a), int(b or a))

def table(text):
    rows = list(csv.DictReader(text.splitlines()))
    return [(r.get("name") or r.get("segment"), rng(r["r"]), rng(r["f"]), rng(r["m"])) for r in rows]

def score(vals, v):
    n = len(vals)
    L = sum(1 for x in vals if x < v)
    k = sum(1 for x in vals if x == v)
    return 1 + (5 * (2 * L + k)) // (2 * n)

rows_file, log_file, today = sys.argv[1:4]
rules = table(open(sys.argv[4]).read() if len(sys.argv) > 4 else DEFAULT)
days, rev = {}, {}
for e in csv.DictReader(open(log_file, encoding="utf-8")):
    if e["date"][:10] > today:
        continue
    c = e["customer"]
    if e["type"] == "purchase":
        days.setdefault(c, set()).add(e["date"][:10])
        rev[c] = rev.get(c, Decimal(0)) + Decimal(e["amount"])
    elif e["type"] == "refund":
        rev[c] = rev.get(c, Decimal(0)) - Decimal(e["amount"])
rows = list(csv.reader(open(rows_file, encoding="utf-8")))
head, body = rows[0], rows[1:]
idc = head.index("id")
buyers = [r[idc] for r in body if r[idc] in days]
R = [max(days[c]) for c in buyers]
F = [len(days[c]) for c in buyers]
M = [rev[c] for c in buyers]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(head + ["r", "f", "m", "rfm", "rfm_segment"])
for r in body:
    c = r[idc]
    if c not in days:
        w.writerow(r + ["", "", "", "", "No Purchases"])
        continue
    s = (score(R, max(days[c])), score(F, len(days[c])), score(M, rev[c]))
    seg = "Other"
    for name, a, b, m in rules:
        if a[0] <= s[0] <= a[1] and b[0] <= s[1] <= b[1] and m[0] <= s[2] <= m[1]:
            seg = name
            break
    w.writerow(r + [str(s[0]), str(s[1]), str(s[2]), "%d%d%d" % s, seg])
EOF

# A crm-ltv --summary made by hand from a log, as of a day (days unit):
# the columns crm-segment reads are days, last and revenue.
summarize () {
	awk -F, -v today="$2" '
	NR == 1 { next }
	substr($1, 1, 10) > today { next }
	{
		c = $2
		if (!(c in seen)) { seen[c] = 1; order[++n] = c; rev[c] = 0 }
		if ($3 == "purchase") {
			rev[c] += $4 * 100; np[c]++
			d = substr($1, 1, 10)
			if (!((c, d) in day)) { day[c, d] = 1; nd[c]++ }
			if (first[c] == "" || d < first[c]) first[c] = d
			if (d > last[c]) last[c] = d
		} else if ($3 == "refund") {
			rev[c] -= $4 * 100
		}
	}
	END {
		print "customer,purchases,days,first,last,revenue,frequency,recency,T,monetary,unit"
		for (i = 1; i <= n; i++) {
			c = order[i]
			printf "%s,%d,%d,%s,%s,%.2f,0,0,0,0,day\n", c, np[c], nd[c],
			    first[c], last[c], rev[c] / 100
		}
	}' "$1"
}

test_expect_success 'setup: fourteen customers, ties in R, F and M' '
	printf "id,name\n" >customers.csv &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
		echo "c$i,Customer $i" >>customers.csv || return 1
	done &&
	cat >log.csv <<-\EOF
	date,customer,type,amount
	2026-11-20,c1,purchase,500
	2026-10-01,c1,purchase,300
	2026-06-01,c1,purchase,200
	2026-11-20,c2,purchase,1000
	2026-01-05,c3,purchase,50
	2025-03-01,c4,purchase,2000
	2025-06-01,c4,purchase,2000
	2025-09-01,c4,purchase,2000
	2025-12-01,c4,purchase,2000
	2026-09-09,c5,purchase,100
	2026-09-09T15:30,c5,purchase,50
	2026-07-07,c6,purchase,80
	2026-08-01,c6,refund,30
	2026-11-01,c7,purchase,300
	2026-11-10,c7,purchase,300
	2026-05-05,c8,purchase,1000
	2026-02-02,c9,purchase,10
	2026-03-03,c9,purchase,10
	2026-04-04,c9,purchase,10
	2026-05-05,c9,purchase,10
	2026-06-06,c9,purchase,10
	2026-10-10,c10,purchase,700
	2026-10-10,c11,refund,100
	2026-12-01,c13,purchase,500
	2026-11-22,c14,purchase,40
	2026-12-15,c14,purchase,999
	2026-11-21,c1,call,
	EOF
'

test_expect_success 'scores and segments as the reference works them out' '
	crm-segment --rfm --log log.csv customers.csv >out &&
	$PY rfm.py customers.csv log.csv 2026-11-23 >expect &&
	test_cmp expect out
'

test_expect_success 'and as worked out by hand' '
	# Eleven buyers by today (c11 only refunded, c12 nothing, c13 and
	# the second c14 purchase come after today).
	# R, worst first: c4 c3 | c8 c9 | c6 c5 c10 | c7 | c1=c2 c14: the tie
	# c1=c2 has 8 worse of 11, middle 9/11 -> 1 + floor(45/11) = 5.
	# F: seven customers with one day sit at 0..7, middle 3.5/11 -> 2;
	# 2 days (c7) 7.5/11 -> 4; 3 (c1) 8.5/11 -> 4; 4 (c4) and 5 (c9) -> 5.
	# M: 40 (c14) -> 1; 50 x3 (c3, c6 80-30, c9) middle 2.5/11 -> 2;
	# 150 (c5: two purchases on a day) 600 700 -> 3; 1000 x3 -> 4; 8000 -> 5.
	cat >expect <<-\EOF &&
	id,r,f,m,rfm,rfm_segment
	c1,5,4,4,544,Champions
	c2,5,2,4,524,New Customers
	c3,1,2,2,122,Lost
	c4,1,5,5,155,Can'"'"'t Lose Them
	c5,3,2,3,323,Promising
	c6,3,2,2,322,Promising
	c7,4,4,3,443,Loyal Customers
	c8,2,2,4,224,About To Sleep
	c9,2,5,2,252,At Risk
	c10,3,2,3,323,Promising
	c11,,,,,No Purchases
	c12,,,,,No Purchases
	c13,,,,,No Purchases
	c14,5,2,1,521,New Customers
	EOF
	crm-segment --rfm --log log.csv customers.csv | cut -d, -f1,3- >out &&
	test_cmp expect out
'

test_expect_success 'the order of the rows changes nothing' '
	crm-segment --rfm --log log.csv customers.csv | sort >forward &&
	{ head -n 1 customers.csv && sed 1d customers.csv | sort -r; } >reversed.csv &&
	crm-segment --rfm --log log.csv reversed.csv | sort >backward &&
	test_cmp forward backward
'

test_expect_success 'as of an earlier day, later purchases do not count' '
	crm-segment --rfm --today 2026-06-30 --log log.csv customers.csv >out &&
	$PY rfm.py customers.csv log.csv 2026-06-30 >expect &&
	test_cmp expect out
'

test_expect_success 'fewer than five distinct values: the scores where they stand' '
	printf "id\nx1\nx2\nx3\nx4\n" >four.csv &&
	cat >four-log.csv <<-\EOF &&
	date,customer,type,amount
	2026-11-01,x1,purchase,10
	2026-11-01,x2,purchase,10
	2026-10-01,x3,purchase,5
	2026-11-01,x3,purchase,5
	2026-10-01,x4,purchase,5
	2026-11-01,x4,purchase,5
	EOF
	# R: all on 11-01: one value -> 3.  F: 1 1 2 2: the ones sit at
	# 0..2 of 4, middle 1/4 -> 2; the twos 3/4 -> 4.  M: all 10 -> 3.
	cat >expect <<-\EOF &&
	id,r,f,m,rfm,rfm_segment
	x1,3,2,3,323,Promising
	x2,3,2,3,323,Promising
	x3,3,4,3,343,Loyal Customers
	x4,3,4,3,343,Loyal Customers
	EOF
	crm-segment --rfm --log four-log.csv four.csv >out &&
	test_cmp expect out
'

test_expect_success 'one customer scores 3 everywhere' '
	printf "id\nsolo\n" >one.csv &&
	printf "date,customer,type,amount\n2026-11-22,solo,purchase,1\n" >one-log.csv &&
	crm-segment --rfm --log one-log.csv one.csv >out &&
	printf "id,r,f,m,rfm,rfm_segment\nsolo,3,3,3,333,Potential Loyalist\n" >expect &&
	test_cmp expect out
'

test_expect_success 'no purchases at all: nobody is scored' '
	printf "date,customer,type,amount\n2026-11-01,c1,call,\n" >calls.csv &&
	crm-segment --rfm --log calls.csv customers.csv | cut -d, -f3- | uniq >out &&
	cat >expect <<-\EOF &&
	r,f,m,rfm,rfm_segment
	,,,,No Purchases
	EOF
	test_cmp expect out
'

test_expect_success 'a thousand customers with identical values all score 333' '
	awk "BEGIN { print \"id\"; for (i = 1; i <= 1000; i++) print \"k\" i }" >k.csv &&
	awk "BEGIN { print \"date,customer,type,amount\";
	    for (i = 1; i <= 1000; i++) print \"2026-11-01,k\" i \",purchase,99.99\" }" \
	    >k-log.csv &&
	crm-segment --rfm --log k-log.csv k.csv >out &&
	test $(wc -l <out) -eq 1001 &&
	sed 1d out | sort -u -t, -k2 | cut -d, -f2- >uniq &&
	echo "3,3,3,333,Potential Loyalist" >expect &&
	test_cmp expect uniq
'

test_expect_success 'a table of ones own: first match wins, Other for none' '
	cat >table.csv <<-\EOF &&
	name,r,f,m
	Best,5,*,4-5
	Recent,4-5,,
	Big,,,5
	EOF
	crm-segment --rfm --rfm-table table.csv --log log.csv customers.csv >out &&
	$PY rfm.py customers.csv log.csv 2026-11-23 table.csv >expect &&
	test_cmp expect out &&
	# c1 544: Best; c14 521: Recent; c4 155: Big; c3 122: Other
	grep "^c1,.*,Best\$" out && grep "^c14,.*,Recent\$" out &&
	grep "^c4,.*,Big\$" out && grep "^c3,.*,Other\$" out
'

test_expect_success 'a bad table is refused with its line' '
	printf "name,r,f,m\nOK,1-5,,\nBad,3-9,,\n" >bad-table.csv &&
	test_fails_cleanly 1 "crm-segment: bad-table.csv:3: invalid score range '"'"'3-9'"'"' for r (1 to 5: 4-5, 3, or * for any)" \
	    crm-segment --rfm --rfm-table bad-table.csv --log log.csv customers.csv
'

test_expect_success 'a crm-ltv --summary gives the scores the log gives' '
	crm-segment --rfm --log log.csv customers.csv >from-log &&
	summarize log.csv 2026-11-23 >summary.csv &&
	crm-segment --rfm --log summary.csv customers.csv >from-summary &&
	test_cmp from-log from-summary
'

test_expect_success 'so does the one crm-ltv writes, from the store' '
	crm-add --name A >/dev/null && crm-add --name B >/dev/null &&
	crm-add --name C >/dev/null &&
	cat >store-log.csv <<-\EOF &&
	date,customer,type,amount
	2026-01-10,c1,purchase,100
	2026-05-10,c1,purchase,100
	2026-11-10,c2,purchase,50
	2026-11-11,c2,refund,10
	EOF
	crm-log --import store-log.csv &&
	crm-ltv --summary --end 2026-11-23 >ltv-summary.csv &&
	crm-segment --rfm >from-store &&
	crm-segment --rfm --log ltv-summary.csv >from-ltv &&
	test_cmp from-store from-ltv &&
	cut -d, -f1,14- from-store >got &&
	# c1 last 05-10 -> R 1 + floor(5 x 0.5/2) = 2, F 2 days -> 4, M 200
	# -> 4; c2 11-10 -> R 4, F 1 -> 2, M 40 -> 2; c3 bought nothing.
	cat >expect <<-\EOF &&
	id,r,f,m,rfm,rfm_segment
	c1,2,4,4,244,At Risk
	c2,4,2,2,422,New Customers
	c3,,,,,No Purchases
	EOF
	test_cmp expect got
'

test_expect_success 'a summary of a later day is refused' '
	summarize log.csv 2026-12-31 >late.csv &&
	test_fails_cleanly 1 "crm-segment: late.csv: customer '"'"'c13'"'"' last bought on 2026-12-01, after today (2026-11-23): a summary of a later day?" \
	    crm-segment --rfm --log late.csv customers.csv
'

test_expect_success 'the summary by segment, in the order of the table' '
	crm-segment --rfm --summary --log log.csv customers.csv >out &&
	# Customers from the hand-worked table above; revenue summed from
	# the log: Promising c5 150 + c6 50 + c10 700 = 900, New Customers c2
	# 1000 + c14 40 = 1040, ... of 12540 in all.
	cut -d, -f1,2,4 out >got &&
	cat >expect <<-\EOF &&
	rfm_segment,customers,revenue
	Champions,1,1000.00
	Loyal Customers,1,600.00
	New Customers,2,1040.00
	Promising,3,900.00
	Can'"'"'t Lose Them,1,8000.00
	At Risk,1,50.00
	About To Sleep,1,1000.00
	Lost,1,50.00
	No Purchases,3,-100.00
	EOF
	test_cmp expect got &&
	# c11 only refunded: No Purchases brought -100, a share below zero.
	grep "^No Purchases,3,0.2143,-100.00,-0.0080,\$" out &&
	shares_add_up out
'

test_expect_success 'JSON Lines: scores are numbers, the code is text' '
	crm-segment --rfm --json --log log.csv customers.csv | head -n 1 >out &&
	echo "{\"id\":\"c1\",\"name\":\"Customer 1\",\"r\":5,\"f\":4,\"m\":4,\"rfm\":\"544\",\"rfm_segment\":\"Champions\"}" >expect &&
	test_cmp expect out
'

test_expect_success 'a second run replaces the columns, not adds them' '
	crm-segment --rfm --log log.csv customers.csv >once &&
	crm-segment --rfm --log log.csv once >twice &&
	test_cmp once twice
'

test_done
