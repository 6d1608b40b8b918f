#!/bin/sh
test_description='crm-segment --by: groups by any field, the summary, shares, margin'
. "$(dirname "$0")/lib.sh"

# shares_add_up FILE: columns 3 and 5 of a --summary add up to exactly
# 1.0000 (shares below zero included).
shares_add_up () {
	awk -F, 'NR > 1 { c += sprintf("%.0f", $3 * 10000); r += sprintf("%.0f", $5 * 10000) }
	END { if (c != 10000 || r != 10000) { print "shares add up to", c, r; exit 1 } }' "$1"
}

# The expected summaries are worked out by this script from the fixture
# files themselves, with exact decimals and fractions, following
# crm-segment(1): revenue is purchases minus refunds up to today; shares
# are floors of hundredths of a percent, the points left over going to
# the largest remainders (the earlier group first); groups by customers,
# then revenue, both decreasing, then by name.
cat >ref.py <<\EOF
import csv, sys
from decimal import Decimal
from fractions import Fraction

def shares(nums):
    total = sum(nums)
    if total <= 0:
        return [None] * len(nums)
    exact = [Fraction(n) * 10000 / total for n in nums]
    bp = [e.numerator // e.denominator for e in exact]
    left = 10000 - sum(bp)
    order = sorted(range(len(nums)), key=lambda i: (-(exact[i] - bp[i]), i))
    for i in order[:left]:
        bp[i] += 1
    return bp

def fmt_share(b):
    return "" if b is None else "%s%d.%04d" % ("-" if b < 0 else "", abs(b) // 10000, abs(b) % 10000)

def money(d):
    return "%.2f" % d

def main():
    rows_file, log_file, field, today = sys.argv[1:5]
    margin = sys.argv[5] if len(sys.argv) > 5 else None
    rev = {}
    for e in csv.DictReader(open(log_file, encoding="utf-8")):
        if e["date"][:10] > today:
            continue
        if e["type"] == "purchase":
            rev[e["customer"]] = rev.get(e["customer"], Decimal(0)) + Decimal(e["amount"])
        elif e["type"] == "refund":
            rev[e["customer"]] = rev.get(e["customer"], Decimal(0)) - Decimal(e["amount"])
    groups = {}
    for r in csv.DictReader(open(rows_file, encoding="utf-8")):
        g = r[field] or "(none)"
        c = groups.setdefault(g, [0, Decimal(0), Decimal(0)])
        c[0] += 1
        m = rev.get(r["id"], Decimal(0))
        c[1] += m
        if margin is not None:
            mv = r[margin] if margin in r else margin
            mv = Decimal(mv[:-1]) / 100 if mv.endswith("%") else Decimal(mv)
            c[2] += m * mv
    names = sorted(groups, key=lambda g: (-groups[g][0], -groups[g][1], g.encode()))
    cs = shares([groups[g][0] for g in names])
    rs = shares([int(groups[g][1] * 100) for g in names])
    print("%s,customers,customers_share,revenue,revenue_share,contribution" % field)
    for i, g in enumerate(names):
        con = money(groups[g][2].quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")) if margin is not None else ""
        print("%s,%d,%s,%s,%s,%s" % (g, groups[g][0], fmt_share(cs[i]),
              money(groups[g][1]), fmt_share(rs[i]), con))

main()
EOF

test_expect_success 'setup: customers with Cyrillic industries, a log' '
	cat >customers.csv <<-\EOF &&
	id,name,industry,owner,city,margin,notes
	c1,Иван Петров,металлургия,anna,Magnitogorsk,0.25,"has, a comma"
	c2,Пётр Сидоров,металлургия,boris,Chelyabinsk,0.2,
	c3,Ольга Ким,машиностроение,anna,Ekaterinburg,0.3,
	c4,Jan Novák,металлургия,anna,Ostrava,10%,
	c5,Eva Berg,,boris,Oslo,0.1,
	c6,Зоя Лин,химия,boris,Perm,0.15,
	c7,Kari Nordmann,машиностроение,anna,Bergen,0.2,
	c8,Ли Вэй,металлургия,boris,Perm,0.2,
	EOF
	cat >log.csv <<-\EOF
	date,customer,type,amount
	2026-01-10,c1,purchase,1000.00
	2026-02-10,c1,purchase,250.50
	2026-03-01,c2,purchase,99.99
	2026-03-05,c3,purchase,5000
	2026-04-01,c3,refund,500
	2026-05-01,c4,purchase,0.01
	2026-06-01,c6,purchase,300
	2026-07-01,c7,purchase,1200
	2026-12-01,c8,purchase,999
	2026-08-01,c9,purchase,777
	2026-09-01,c5,call,
	EOF
'

test_expect_success 'rows pass through with a group column; (none) when empty' '
	crm-segment --by industry customers.csv >out &&
	# Every input line, untouched, with the field value appended.
	awk -F, "NR == 1 { print \$0 \",group\"; next }
	    { g = \$3 == \"\" ? \"(none)\" : \$3; print \$0 \",\" g }" \
	    customers.csv >expect &&
	test_cmp expect out
'

test_expect_success 'the same from a file, from - and from a pipe into -' '
	# Without operands the rows are the store'"'"'s: stdin is named as -.
	crm-segment --by owner customers.csv >file.out &&
	crm-segment --by owner - <customers.csv >stdin.out &&
	cat customers.csv | crm-segment --by owner - >dash.out &&
	test_cmp file.out stdin.out &&
	test_cmp file.out dash.out
'

test_expect_success 'summary by a Cyrillic field: counts, revenue, shares' '
	crm-segment --by industry --summary --log log.csv customers.csv >out &&
	$PY ref.py customers.csv log.csv industry 2026-11-23 >expect &&
	test_cmp expect out
'

test_expect_success 'the summary, checked by hand as well' '
	# металлургия: c1 1250.50, c2 99.99, c4 0.01, c8 nothing by today
	#   = 1350.50 from 4 of 8 customers (0.5000);
	# машиностроение: c3 5000 - 500 + c7 1200 = 5700.00, 2 (0.2500);
	# (none) c5 and химия c6: 1 each (0.1250); 300 for химия first.
	# Revenue 7350.50: 1350.50/7350.50 = 0.18372..., 5700/7350.50 =
	# 0.77546..., 300/7350.50 = 0.04081...: floors 1837 7754 408 0 make
	# 9999; the largest remainder (.46 of машиностроение) gets the point.
	cat >expect <<-\EOF &&
	industry,customers,customers_share,revenue,revenue_share,contribution
	металлургия,4,0.5000,1350.50,0.1837,
	машиностроение,2,0.2500,5700.00,0.7755,
	химия,1,0.1250,300.00,0.0408,
	(none),1,0.1250,0.00,0.0000,
	EOF
	crm-segment --by industry --summary --log log.csv customers.csv >out &&
	test_cmp expect out
'

test_expect_success 'summary shares add up to 100%' '
	for f in industry owner city name; do
		crm-segment --by $f --summary --log log.csv customers.csv >out &&
		shares_add_up out || return 1
	done
'

test_expect_success 'a fixed margin gives the contribution' '
	crm-segment --by industry --summary --margin 0.2 --log log.csv \
	    customers.csv >out &&
	$PY ref.py customers.csv log.csv industry 2026-11-23 0.2 >expect &&
	test_cmp expect out &&
	crm-segment --by industry --summary --margin 20% --log log.csv \
	    customers.csv >pct &&
	test_cmp expect pct
'

test_expect_success 'a margin column: each customer its own margin' '
	crm-segment --by owner --summary --margin margin --log log.csv \
	    customers.csv >out &&
	$PY ref.py customers.csv log.csv owner 2026-11-23 margin >expect &&
	test_cmp expect out &&
	# anna: c1 1250.50 x 0.25 = 312.625, c3 4500 x 0.3 = 1350, c4 0.01 x
	# 10% = 0.001, c7 1200 x 0.2 = 240: 1902.626, one rounding: 1902.63.
	grep "^anna,4,0.5000,6950.51,0.9456,1902.63\$" out
'

test_expect_success 'a margin column with an empty or impossible margin' '
	printf "id,margin\nc1,0.2\nc2,\n" >nomargin.csv &&
	test_fails_cleanly 1 "crm-segment: nomargin.csv:3: invalid margin '"'"''"'"' (from -1 to 1, or a percentage)" \
	    crm-segment --by id --summary --margin margin --log log.csv nomargin.csv &&
	printf "id,margin\nc1,0.2\nc2,120%%\n" >nomargin.csv &&
	test_fails_cleanly 1 "crm-segment: nomargin.csv:3: invalid margin '"'"'120%'"'"' (from -1 to 1, or a percentage)" \
	    crm-segment --by id --summary --margin margin --log log.csv nomargin.csv &&
	test_fails_cleanly 1 "crm-segment: customers.csv: no column '"'"'marge'"'"' for --margin" \
	    crm-segment --by id --summary --margin marge --log log.csv customers.csv
'

test_expect_success 'JSON Lines: numbers are numbers' '
	crm-segment --by industry --summary --margin 0.2 --json --log log.csv \
	    customers.csv >out &&
	head -n 1 out >first &&
	cat >expect <<-\EOF &&
	{"industry":"металлургия","customers":4,"customers_share":0.5,"revenue":1350.5,"revenue_share":0.1837,"contribution":270.1}
	EOF
	test_cmp expect first
'

test_expect_success 'the terminal table has a bar of blocks for each share' '
	crm-segment --by industry --summary --table --log log.csv customers.csv >out &&
	# 50% of 20 cells is 10 full blocks; 77.55% is 15.51 cells: 124
	# eighths are 15 full blocks and a half block.
	grep "^металлургия  *4  50.00% ██████████  *1350.50  18.37% ███▋\$" out &&
	grep "77.55% ███████████████▌\$" out &&
	grep "(none)  *1  12.50% ██▌  *0.00   0.00%\$" out
'

test_expect_success 'no purchases at all: revenue 0 and no revenue shares' '
	echo date,customer,type,amount >empty.csv &&
	crm-segment --by owner --summary --log empty.csv customers.csv >out &&
	cat >expect <<-\EOF &&
	owner,customers,customers_share,revenue,revenue_share,contribution
	anna,4,0.5000,0.00,,
	boris,4,0.5000,0.00,,
	EOF
	test_cmp expect out
'

test_expect_success 'a field that is not a column is an error' '
	test_fails_cleanly 1 "crm-segment: customers.csv: no column '"'"'region'"'"'" \
	    crm-segment --by region customers.csv
'

test_expect_success 'the store: customers.csv and log.csv by default' '
	crm-add --name "Иван Петров" --industry металлургия >/dev/null &&
	crm-add --name "Kari Nordmann" --industry металлургия >/dev/null &&
	crm-add --name "Eva Berg" --industry машиностроение >/dev/null &&
	crm-log c1 purchase --amount 300 --date 2026-10-01 &&
	crm-log c3 purchase --amount 100 --date 2026-10-02 &&
	crm-segment --by industry --summary >out &&
	cat >expect <<-\EOF &&
	industry,customers,customers_share,revenue,revenue_share,contribution
	металлургия,2,0.6667,300.00,0.7500,
	машиностроение,1,0.3333,100.00,0.2500,
	EOF
	test_cmp expect out
'

test_expect_success 'without --summary, --by needs no store and no log' '
	CRM_DIR=$TRASH/nowhere crm-segment --by city customers.csv >out &&
	test $(wc -l <out) -eq 9
'

test_done
