#!/bin/sh
test_description='crm-ltv --summary/--fit/--clv: the published CDNOW estimates, computed from the data'
. "$(dirname "$0")/lib.sh"

CDNOW=$TOP/tests/data/cdnow/CDNOW_sample.txt

# The usual set-up of the literature: the customer is sample_id, dates
# as ISO days, amounts in dollars; several purchases on a day are one.
test_expect_success 'convert the CDNOW sample to a purchase log' '
	awk "BEGIN { print \"customer,date,amount\" }
	{ sub(/\r$/, \"\"); printf \"%s,%s-%s-%s,%s\n\", \$2, substr(\$3, 1, 4),
	    substr(\$3, 5, 2), substr(\$3, 7, 2), \$5 }" "$CDNOW" >cdnow.csv &&
	test $(wc -l <cdnow.csv) -eq 6920
'

# round(x, d) as the published tables print: compare at their precision.
check_param () {
	$PY -c "
import json, sys
o = json.load(open('fit.json'))
got = o[sys.argv[1]][sys.argv[2]]
want = float(sys.argv[3]); places = int(sys.argv[4])
if round(got, places) != round(want, places):
    sys.exit('%s.%s = %r, published %s' % (sys.argv[1], sys.argv[2], got, sys.argv[3]))
" "$@"
}

test_expect_success 'fit on the calibration period (to 1997-09-30, weeks)' '
	crm-ltv --fit --json --end 1997-09-30 --unit week cdnow.csv >fit.json &&
	$PY -c "import json; o = json.load(open(\"fit.json\")); assert o[\"customers\"] == 2357, o; assert o[\"unit\"] == \"week\"; assert o[\"end\"] == \"1997-09-30\"; assert o[\"gg\"][\"customers\"] == 946, o"
'

# Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way".
test_expect_success 'BG/NBD: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426' '
	check_param bgnbd r 0.243 3 &&
	check_param bgnbd alpha 4.414 3 &&
	check_param bgnbd a 0.793 3 &&
	check_param bgnbd b 2.426 3
'

test_expect_success 'BG/NBD: log-likelihood -9582.4' '
	check_param bgnbd loglik -9582.4 1
'

# Fader & Hardie, the Gamma-Gamma spend model, on the 946 repeat buyers.
test_expect_success 'Gamma-Gamma: p = 6.25, q = 3.74, gamma = 15.44' '
	check_param gg p 6.25 2 &&
	check_param gg q 3.74 2 &&
	check_param gg gamma 15.44 2
'

test_expect_success 'E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226' '
	cat >one.csv <<-\EOF &&
	customer,purchases,days,first,last,revenue,frequency,recency,T,monetary,unit
	x,3,3,1997-01-01,1997-08-01,30.00,2,30.43,38.86,10,week
	EOF
	crm-ltv --clv --params fit.json --horizon 39 --csv one.csv >clv.csv &&
	$PY -c "
import csv
row = next(csv.DictReader(open(\"clv.csv\")))
assert row[\"horizon\"] == \"39\" and row[\"unit\"] == \"week\", row
assert round(float(row[\"expected_purchases\"]), 3) == 1.226, row
"
'

test_expect_success 'the summary is the literature'"'"'s (customer 0001 of the sample)' '
	crm-ltv --summary --end 1997-09-30 --csv cdnow.csv >summary.csv &&
	grep "^0001," summary.csv >got &&
	# 0001 bought on 1997-01-01, 01-18 and 08-02 (3 days, 2 repeat days);
	# recency 213 days = 30.428571 weeks, T 272 days = 38.857143 weeks;
	# monetary: the mean of the repeat days, (29.73 + 14.96) / 2.
	echo "0001,3,3,1997-01-01,1997-08-02,74.02,2,30.428571,38.857143,22.345000,week" >expect &&
	test_cmp expect got
'

test_expect_success 'a summary read back fits bit for bit the same' '
	crm-ltv --fit --json summary.csv >fit2.json &&
	test_cmp fit.json fit2.json
'

test_expect_success 'sharded with GNU parallel on 4 shards: the same fit' '
	tail -n +2 cdnow.csv |
	parallel --pipe --shard 1 --colsep , -j4 \
		crm-ltv --summary --columns customer,date,amount \
		--end 1997-09-30 --unit week - >shards.csv &&
	test $(grep -c "^customer," shards.csv) -eq 4 &&
	test $(grep -vc "^customer," shards.csv) -eq 2357 &&
	crm-ltv --fit --json shards.csv >fit3.json &&
	test_cmp fit.json fit3.json
'

test_expect_success 'a customer in two shards is an error' '
	cat summary.csv summary.csv >twice.csv &&
	test_expect_code 1 crm-ltv --fit --json twice.csv 2>err &&
	grep "customer .0001. appears twice" err
'

test_expect_success '--clv per customer: CLV over the horizon, the unit stated' '
	crm-ltv --clv --end 1997-09-30 --horizon 52 --discount 0.01 --csv \
		cdnow.csv >clv-all.csv &&
	head -n 1 clv-all.csv >head &&
	echo "id,frequency,recency,T,monetary,p_alive,expected_purchases,expected_avg_order,clv,horizon,unit" >expect &&
	test_cmp expect head &&
	test $(wc -l <clv-all.csv) -eq 2358 &&
	$PY -c "
import csv
for r in csv.DictReader(open(\"clv-all.csv\")):
    p = float(r[\"p_alive\"])
    assert 0 <= p <= 1, r
    assert r[\"unit\"] == \"week\" and r[\"horizon\"] == \"52\", r
    if r[\"frequency\"] == \"0\":
        assert p == 1.0, r
    assert float(r[\"clv\"]) >= 0, r
"
'

test_expect_success '--params: scoring with saved parameters gives the fitted ones'"'"' scores' '
	crm-ltv --clv --end 1997-09-30 --csv cdnow.csv >a.csv &&
	crm-ltv --clv --end 1997-09-30 --params fit.json --csv cdnow.csv >b.csv &&
	test_cmp a.csv b.csv
'

test_expect_success 'parameters in weeks do not score data in days' '
	test_expect_code 1 crm-ltv --clv --unit day --params fit.json cdnow.csv 2>err &&
	echo "crm-ltv: fit.json: the parameters are in weeks, the data in days (see --unit)" >expect &&
	test_cmp expect err
'

test_expect_success 'no repeat buyers: a clear error, never NaN' '
	printf "customer,date,amount\na,2026-01-01,10\nb,2026-01-05,20\nc,2026-02-01,5\n" >once.csv &&
	test_expect_code 1 crm-ltv --fit --json once.csv >out 2>err &&
	test_must_be_empty out &&
	echo "crm-ltv: cannot fit BG/NBD: no customer made a repeat purchase" >expect &&
	test_cmp expect err
'

test_expect_success 'one customer: a clear error' '
	printf "customer,date,amount\na,2026-01-01,10\na,2026-01-05,20\n" >one-cust.csv &&
	test_expect_code 1 crm-ltv --fit --json --end 2026-02-01 one-cust.csv 2>err &&
	echo "crm-ltv: cannot fit BG/NBD: only one customer" >expect &&
	test_cmp expect err
'

test_expect_success 'all purchases on one day: a clear error' '
	printf "customer,date,amount\na,2026-01-01,10\nb,2026-01-01,20\n" >oneday.csv &&
	test_expect_code 1 crm-ltv --fit --json oneday.csv 2>err &&
	grep "cannot fit BG/NBD" err
'

test_expect_success 'a penalizer shrinks the parameters' '
	crm-ltv --fit --json --end 1997-09-30 --penalizer 0.1 cdnow.csv >pen.json &&
	$PY -c "
import json
a = json.load(open(\"fit.json\"))[\"bgnbd\"]; b = json.load(open(\"pen.json\"))[\"bgnbd\"]
assert b[\"alpha\"] < a[\"alpha\"], (a, b)
"
'

test_done
