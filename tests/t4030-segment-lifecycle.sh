#!/bin/sh
test_description='crm-segment --lifecycle: new, active, regular, loyal, at risk, lost'
. "$(dirname "$0")/lib.sh"

# shares_add_up FILE: columns 3 and 5 of a --summary add up to exactly
# 1.0000 (shares below zero included).
shares_add_up () {
	awk -F, 'NR > 1 { c += sprintf("%.0f", $3 * 10000); r += sprintf("%.0f", $5 * 10000) }
	END { if (c != 10000 || r != 10000) { print "shares add up to", c, r; exit 1 } }' "$1"
}

# Today is 2026-11-23.  Every figure below is worked out by hand.
#
# Own usual gaps (customers with two gaps or more):
#   r1 03-01 05-01 07-15 10-01: gaps 61 75 78, median 75
#   l1 2025-12-20 03-20 06-20 09-20 11-15: gaps 90 92 92 56, median 91
#   k1 05-01 05-11 05-21 06-01: gaps 10 10 11, median 10
# The population's usual gap is the median of 75, 91 and 10: 75 days,
# so the others are at risk after 150 silent days.
#
#   n1  first 10-15, 39 days ago                -> new
#   n2  first 08-25, exactly 90 days ago        -> new
#   a1  once, 08-24: 91 days, not above 150     -> active
#   r1  53 silent (< 150); quarters back from today: (08-23, 11-23]
#       10-01, (05-23, 08-23] 07-15, (02-23, 05-23] 03-01 and 05-01,
#       (2025-11-23, 02-23] none: not loyal; 4 days -> regular
#   l1  8 silent; a purchase in each of the four quarters -> loyal
#   k1  06-01, 175 silent > 2 x 10              -> at risk
#   k2  once, 03-01: 267 > 150                  -> at risk
#   x1  last 2025-11-01: 387 days > 365         -> lost
#   x2  last 2025-11-23: 365 days, not more;
#       365 > 150                               -> at risk
#   x3  bought 09-01, churned 10-01             -> lost
#   x4  churned 04-01, bought 04-02 and 06-01: back; one gap is too few
#       for an own gap: 175 > 150               -> at risk
#   z1  only a call                             -> no purchases
#   z2  no purchase, a churn                    -> lost
#   f1  a purchase after today only             -> no purchases
test_expect_success 'setup' '
	printf "%s\n" id n1 n2 a1 r1 l1 k1 k2 x1 x2 x3 x4 z1 z2 f1 >rows.csv &&
	cat >log.csv <<-\EOF
	date,customer,type,amount,outcome
	2026-10-15,n1,purchase,10,
	2026-08-25,n2,purchase,10,
	2026-08-24,a1,purchase,10,
	2026-03-01,r1,purchase,10,
	2026-05-01,r1,purchase,10,
	2026-07-15,r1,purchase,10,
	2026-10-01,r1,purchase,10,
	2025-12-20,l1,purchase,10,
	2026-03-20,l1,purchase,10,
	2026-06-20,l1,purchase,10,
	2026-09-20,l1,purchase,10,
	2026-11-15,l1,purchase,10,
	2026-05-01,k1,purchase,10,
	2026-05-11,k1,purchase,10,
	2026-05-21,k1,purchase,10,
	2026-06-01,k1,purchase,10,
	2026-06-01T18:00,k1,purchase,5,
	2026-03-01,k2,purchase,10,
	2025-11-01,x1,purchase,10,
	2025-11-23,x2,purchase,10,
	2026-09-01,x3,purchase,10,
	2026-10-01,x3,churn,,price
	2026-04-01,x4,churn,,price
	2026-04-02,x4,purchase,10,
	2026-06-01,x4,purchase,10,
	2026-11-01,z1,call,,
	2026-07-01,z2,churn,,never started
	2026-12-01,f1,purchase,10,
	2026-12-02,n1,churn,,later
	EOF
'

test_expect_success 'every stage, as worked out by hand' '
	cat >expect <<-\EOF &&
	id,lifecycle,purchase_days,first_purchase,days_since_purchase,usual_gap,churned
	n1,new,1,2026-10-15,39,75,
	n2,new,1,2026-08-25,90,75,
	a1,active,1,2026-08-24,91,75,
	r1,regular,4,2026-03-01,53,75,
	l1,loyal,5,2025-12-20,8,91,
	k1,at risk,4,2026-05-01,175,10,
	k2,at risk,1,2026-03-01,267,75,
	x1,lost,1,2025-11-01,387,75,
	x2,at risk,1,2025-11-23,365,75,
	x3,lost,1,2026-09-01,83,75,2026-10-01
	x4,at risk,2,2026-04-02,175,75,2026-04-01
	z1,no purchases,0,,,,
	z2,lost,0,,,,2026-07-01
	f1,no purchases,0,,,,
	EOF
	crm-segment --lifecycle --log log.csv rows.csv >out &&
	test_cmp expect out
'

# stage_of OUT ID: the stage of customer ID in crm-segment output OUT.
stage_of () {
	awk -F, -v id="$2" '$1 == id { print $2 }' "$1"
}

test_expect_success 'new within 39 days: n1 (39 days) still, n2 (90) only active' '
	crm-segment --lifecycle --new-within 39d --log log.csv rows.csv >out &&
	test "$(stage_of out n1)" = new &&
	test "$(stage_of out n2)" = active &&
	crm-segment --lifecycle --new-within 38d --log log.csv rows.csv >out &&
	test "$(stage_of out n1)" = active
'

test_expect_success 'lost after 200 days: k2 (267) and x2 (365) too, not k1 (175)' '
	crm-segment --lifecycle --lost-after 200d --log log.csv rows.csv >out &&
	test "$(stage_of out k2)" = lost &&
	test "$(stage_of out x2)" = lost &&
	test "$(stage_of out k1)" = "at risk"
'

test_expect_success 'lost after a year: the same day a year ago is not lost' '
	crm-segment --lifecycle --lost-after 1y --log log.csv rows.csv >out &&
	test "$(stage_of out x1)" = lost &&
	test "$(stage_of out x2)" = "at risk"
'

test_expect_success 'a risk factor of 3: 175 silent days are within 225' '
	crm-segment --lifecycle --risk-factor 3 --log log.csv rows.csv >out &&
	test "$(stage_of out x4)" = active &&
	test "$(stage_of out k2)" = "at risk" &&
	test "$(stage_of out k1)" = "at risk" &&
	crm-segment --lifecycle --risk-factor 3 --regular-days 2 --log log.csv \
	    rows.csv >out2 &&
	test "$(stage_of out2 x4)" = regular
'

test_expect_success 'a usual gap for the others of 200 days' '
	crm-segment --lifecycle --usual-gap 200 --log log.csv rows.csv >out &&
	# k2 267 and x2 365 are within 400; k1 keeps its own 10 days
	test "$(stage_of out k2)" = active &&
	test "$(stage_of out x2)" = active &&
	test "$(stage_of out k1)" = "at risk" &&
	grep "^k2,active,1,2026-03-01,267,200,\$" out &&
	grep "^k1,at risk,4,2026-05-01,175,10,\$" out
'

test_expect_success 'one gap is enough with --min-gaps 1' '
	crm-segment --lifecycle --min-gaps 1 --log log.csv rows.csv >out &&
	# x4 has its own 04-02..06-01 = 60 days.  The population: 10, 60,
	# 75 and 91, median 67.5; a1 91 <= 135 active, k2 267 at risk.
	grep "^x4,at risk,2,2026-04-02,175,60,2026-04-01\$" out &&
	grep "^a1,active,1,2026-08-24,91,67.5,\$" out &&
	test "$(stage_of out k2)" = "at risk"
'

test_expect_success 'loyal over other periods' '
	crm-segment --lifecycle --loyal-periods 3 --log log.csv rows.csv >out &&
	test "$(stage_of out r1)" = loyal &&
	crm-segment --lifecycle --loyal-periods 2 --period 6m --log log.csv \
	    rows.csv >out &&
	test "$(stage_of out r1)" = loyal &&
	test "$(stage_of out l1)" = loyal &&
	crm-segment --lifecycle --loyal-periods 0 --log log.csv rows.csv >out &&
	test "$(stage_of out l1)" = regular
'

test_expect_success 'as of an earlier day' '
	crm-segment --lifecycle --today 2026-06-30 --log log.csv rows.csv >out &&
	# x3 has not bought yet; x4 was back on 06-01, 29 days before.
	# k1 05-01..06-01 began 60 days before: new.
	test "$(stage_of out x3)" = "no purchases" &&
	test "$(stage_of out k1)" = new &&
	grep "^x4,new,2,2026-04-02,29," out
'

test_expect_success 'the summary: stages in their order, shares adding up' '
	crm-segment --lifecycle --summary --log log.csv rows.csv >out &&
	# Revenue 10 a purchase day (k1 15 on 06-01), f1 after today: 0.
	cat >expect <<-\EOF &&
	lifecycle,customers,revenue
	new,2,20.00
	active,1,10.00
	regular,1,40.00
	loyal,1,50.00
	at risk,4,85.00
	lost,3,20.00
	no purchases,2,0.00
	EOF
	cut -d, -f1,2,4 out >got &&
	test_cmp expect got &&
	shares_add_up out
'

test_expect_success 'a summary has no events: refused' '
	printf "customer,purchases,days,first,last,revenue,frequency,recency,T,monetary,unit\n" >sum.csv &&
	test_fails_cleanly 1 "crm-segment: --lifecycle needs the events of the log, not a summary" \
	    crm-segment --lifecycle --log sum.csv rows.csv
'

test_expect_success 'the options go with --lifecycle' '
	test_fails_cleanly 2 "crm-segment: --new-within, --lost-after, --risk-factor, --min-gaps, --usual-gap, --regular-days, --loyal-periods and --period go with --lifecycle
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --rfm --period 1m rows.csv &&
	test_fails_cleanly 2 "crm-segment: --period: the length of time must be at least 1
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --lifecycle --period 0d rows.csv &&
	test_fails_cleanly 2 "crm-segment: --risk-factor: '"'"'0'"'"' must be above 0 (and at most 1000)
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --lifecycle --risk-factor 0 rows.csv &&
	test_fails_cleanly 2 "crm-segment: --new-within: invalid length of time '"'"'soon'"'"' (examples: 7d, 2w, 1m)
Try '"'"'crm-segment --help'"'"' for more information." \
	    crm-segment --lifecycle --new-within soon rows.csv
'

test_expect_success 'the store: churn logged with crm-log' '
	crm-add --name "Иван Петров" >/dev/null &&
	crm-add --name "Kari Nordmann" >/dev/null &&
	crm-log c1 purchase --amount 100 --date 2026-11-01 &&
	crm-log c2 purchase --amount 100 --date 2026-11-01 &&
	crm-log c2 churn --outcome "moved abroad" &&
	crm-segment --lifecycle --table >out &&
	# Nobody has gaps: the usual gap is the default 90 days.
	cat >expect <<-\EOF &&
	id  name           company  lifecycle  purchase_days  first_purchase  days_since_purchase  usual_gap  churned
	c1  Иван Петров             new                    1  2026-11-01                       22         90
	c2  Kari Nordmann           lost                   1  2026-11-01                       22         90  2026-11-23
	EOF
	sed "s/ *\$//" out >trimmed &&
	test_cmp expect trimmed
'

test_done
