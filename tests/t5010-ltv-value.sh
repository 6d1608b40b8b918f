#!/bin/sh
test_description='crm-ltv: history, the managers'"'"' formula, the cost of losing a customer'
. "$(dirname "$0")/lib.sh"

test_expect_success 'formula: 10000 four times a year for three years' '
	crm-ltv --formula --avg 10000 --per-year 4 --years 3 >out &&
	cat >expect <<-\EOF &&
	avg_order,per_year,years,value_per_year,lifetime_value
	10000.00,4,3,40000.00,120000.00
	EOF
	test_cmp expect out
'

test_expect_success 'formula with a margin gives the profit' '
	crm-ltv --formula --avg 10000 --per-year 4 --years 3 --margin 20% >out &&
	cat >expect <<-\EOF &&
	avg_order,per_year,years,value_per_year,lifetime_value,lifetime_profit
	10000.00,4,3,40000.00,120000.00,24000.00
	EOF
	test_cmp expect out
'

test_expect_success 'lost: 10000 a year growing by 2000, five years, 20% margin' '
	crm-ltv --lost --revenue 10000 --growth 2000 --years 5 --margin 0.2 >out &&
	# 10 + 12 + 14 + 16 + 18 = 70 thousand of sales; 20% of it is profit.
	cat >expect <<-\EOF &&
	revenue,growth,years,lost_sales,lost_profit
	10000.00,2000.00,5,70000.00,14000.00
	EOF
	test_cmp expect out
'

test_expect_success 'lost with growth in percent' '
	crm-ltv --lost --revenue 10000 --growth 5% --years 3 --margin 0.2 >out &&
	# 10000 + 10500 + 11025 = 31525; 20% = 6305.
	cat >expect <<-\EOF &&
	revenue,growth,years,lost_sales,lost_profit
	10000.00,5%,3,31525.00,6305.00
	EOF
	test_cmp expect out
'

test_expect_success 'lost: a shrinking customer never buys less than nothing' '
	crm-ltv --lost --revenue 1000 --growth -400 --years 5 >out &&
	# 1000 + 600 + 200 + 0 + 0
	cat >expect <<-\EOF &&
	revenue,growth,years,lost_sales
	1000.00,-400.00,5,1800.00
	EOF
	test_cmp expect out
'

test_expect_success 'a store with purchases and refunds' '
	crm-add -d store --name "Иван Петров" --tier key >/dev/null &&
	crm-add -d store --name "Kari Nordmann" >/dev/null &&
	crm-add -d store --name "Zuzana Kováčová" >/dev/null &&
	cat >events.csv <<-\EOF &&
	date,customer,type,amount
	2024-06-01,c1,purchase,1000.00
	2025-01-10,c1,purchase,2000.00
	2025-06-01,c1,purchase,500.00
	2026-01-15,c1,purchase,3000.00
	2026-01-15,c1,purchase,1000.00
	2026-03-01,c1,refund,500.00
	2026-10-01,c2,purchase,0.10
	2026-10-01,c2,purchase,0.20
	2026-11-01,c1,call,
	EOF
	crm-log -d store --import events.csv
'

test_expect_success 'history: revenue is purchases minus refunds, in exact cents' '
	crm-ltv -d store --csv >out &&
	# c1: 5 purchases on 4 days, 7500 - 500 = 7000, average order 1400;
	# c2: 0.10 + 0.20 is exactly 0.30 on one day; c3 bought nothing.
	cat >expect <<-\EOF &&
	id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created,purchases,days,first,last,revenue,avg_order
	c1,Иван Петров,,,,tester,key,,,,,,2026-11-23,5,4,2024-06-01,2026-01-15,7000.00,1400.00
	c2,Kari Nordmann,,,,tester,,,,,,,2026-11-23,2,1,2026-10-01,2026-10-01,0.30,0.15
	c3,Zuzana Kováčová,,,,tester,,,,,,,2026-11-23,0,0,,,0.00,
	EOF
	test_cmp expect out
'

test_expect_success 'history with --margin adds the contribution' '
	crm-ltv -d store --margin 0.25 --csv | cut -d, -f1,18- >out &&
	cat >expect <<-\EOF &&
	id,revenue,avg_order,contribution
	c1,7000.00,1400.00,1750.00
	c2,0.30,0.15,0.08
	c3,0.00,,0.00
	EOF
	test_cmp expect out
'

test_expect_success 'formula per customer from the log' '
	crm-ltv -d store --formula --years 2 --csv | cut -d, -f1,14- >out &&
	# c1: 5 purchases since 2024-06-01, 905 days or 2.47775 years to
	# 2026-11-23: 2.0180 a year, of 1400 on average: 1400 x 5 / 2.47775 =
	# 2825.14 a year, 5650.28 in two.
	# c2: first bought 53 days ago: counted over one year at least.
	cat >expect <<-\EOF &&
	id,avg_order,per_year,years,value_per_year,lifetime_value
	c1,1400.00,2.0180,2,2825.14,5650.28
	c2,0.15,2.0000,2,0.30,0.60
	c3,0.00,0.0000,2,0.00,0.00
	EOF
	test_cmp expect out
'

test_expect_success 'lost per customer: the last 12 months and the own trend' '
	crm-ltv -d store --lost --margin 0.2 --csv | cut -d, -f1,14- >out &&
	# c1, up to 2026-11-23: last 12 months 3000 + 1000 - 500 = 3500;
	# the 12 months before: 2000 + 500 = 2500; trend +1000 a year;
	# five years: 3500 + 4500 + 5500 + 6500 + 7500 = 27500.
	# c2 is new (first purchase within two years): no trend, 0.30 x 5.
	cat >expect <<-\EOF &&
	id,revenue_12m,growth,years,lost_sales,lost_profit
	c1,3500.00,1000.00,5,27500.00,5500.00
	c2,0.30,0.00,5,1.50,0.30
	c3,0.00,0.00,5,0.00,0.00
	EOF
	test_cmp expect out
'

test_expect_success 'a log from a file with its own column names' '
	cat >sales.csv <<-\EOF &&
	client;when;sum
	EOF
	printf "client,when,sum\nA,2026-01-01,10.50\nA,2026-02-01,4.50\n" >sales.csv &&
	crm-ltv --customer-col client --date-col when --amount-col sum --csv sales.csv >out &&
	cat >expect <<-\EOF &&
	id,purchases,days,first,last,revenue,avg_order
	A,2,2,2026-01-01,2026-02-01,15.00,7.50
	EOF
	test_cmp expect out
'

test_expect_success 'a missing column is named' '
	test_expect_code 1 crm-ltv --date-col when sales.csv 2>err &&
	echo "crm-ltv: sales.csv:1: no column '"'"'customer'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'JSON Lines in, JSON Lines out' '
	printf "{\"customer\":\"A\",\"date\":\"2026-01-01\",\"amount\":10.5}\n" >in.jsonl &&
	crm-ltv --json in.jsonl >out &&
	echo "{\"id\":\"A\",\"purchases\":1,\"days\":1,\"first\":\"2026-01-01\",\"last\":\"2026-01-01\",\"revenue\":10.5,\"avg_order\":10.5}" >expect &&
	test_cmp expect out
'

test_expect_success 'bad options' '
	test_expect_code 2 crm-ltv --formula --avg 10 2>err &&
	grep "go together" err &&
	test_expect_code 2 crm-ltv --lost --growth 5x 2>err &&
	grep "invalid growth" err &&
	test_expect_code 2 crm-ltv --margin 1.5 2>err &&
	grep "invalid margin" err &&
	test_expect_code 2 crm-ltv --unit year 2>err &&
	grep "invalid unit" err
'

test_done
