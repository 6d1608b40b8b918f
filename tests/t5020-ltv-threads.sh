#!/bin/sh
test_description='CRM_THREADS=2: a big log read in two threads gives what one thread gives'
. "$(dirname "$0")/lib.sh"

# About 40 MB of purchases, refunds and calls of 20,000 customers, some
# with notes that hold commas, quotes and line breaks.
test_expect_success 'a log over 32 MB' '
	awk "BEGIN {
		print \"date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note\"
		for (i = 0; i < 800000; i++) {
			c = (i * 7919) % 20000 + 1
			d = sprintf(\"2025-%02d-%02d\", i % 12 + 1, i % 28 + 1)
			t = i % 10 == 0 ? \"refund\" : i % 3 ? \"purchase\" : \"call\"
			a = t == \"call\" ? \"\" : sprintf(\"%d.%02d\", i % 997, i % 100)
			n = i % 50 == 0 ? \"\\\"said \\\"\\\"hi\\\"\\\", then\\nleft\\\"\" : \"\"
			printf \"%s,c%d,%s,shop,%s,,,,,tester,%s\n\", d, c, t, a, n
		}
	}" >big.csv &&
	test $(wc -c <big.csv) -gt 33554432
'

test_expect_success 'the summary: the same from one thread and from two' '
	CRM_THREADS=1 crm-ltv --summary --end 2025-12-31 big.csv >one.csv &&
	CRM_THREADS=2 crm-ltv --summary --end 2025-12-31 big.csv >two.csv &&
	test $(wc -l <one.csv) -eq 20001 &&
	test_cmp one.csv two.csv
'

test_expect_success 'two threads are used indeed, one without CRM_THREADS' '
	ASAN_OPTIONS=detect_leaks=0 CRM_THREADS=2 strace -f -qq -e trace=clone,clone3 -o trace2 \
		crm-ltv --summary big.csv >/dev/null &&
	grep -c "clone" trace2 >n2 && test $(cat n2) -ge 1 &&
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=clone,clone3 -o trace1 crm-ltv --summary big.csv >/dev/null &&
	test_must_be_empty trace1
'

test_expect_success 'RFM: the same' '
	awk "BEGIN { print \"id\"; for (i = 1; i <= 20000; i++) print \"c\" i }" >cust.csv &&
	CRM_THREADS=1 crm-segment --rfm --today 2026-01-01 --log big.csv cust.csv >one.csv &&
	CRM_THREADS=2 crm-segment --rfm --today 2026-01-01 --log big.csv cust.csv >two.csv &&
	test_cmp one.csv two.csv
'

# A note of many lines across the middle of the file: the second thread
# would start inside a quoted field.  It must notice and read in order.
test_expect_success 'the middle inside a quoted note of many lines: the same' '
	size=$(wc -c <big.csv) &&
	head -c $((size / 2 - 200000)) big.csv | sed "\$d" >cut.csv &&
	awk "BEGIN { printf \"2025-06-01,c1,note,,,,,,,tester,\\\"start\n\";
		for (i = 0; i < 20000; i++) print \"line \" i \", with a comma\";
		print \"end\\\"\" }" >>cut.csv &&
	tail -c $((size / 2 - 200000)) big.csv | sed 1d >>cut.csv &&
	CRM_THREADS=1 crm-ltv --summary --end 2025-12-31 cut.csv >one.csv &&
	CRM_THREADS=2 crm-ltv --summary --end 2025-12-31 cut.csv >two.csv &&
	test_cmp one.csv two.csv
'

test_expect_success 'an error in the second half: the message one thread gives' '
	cp big.csv bad.csv &&
	lines=$(wc -l <bad.csv) &&
	sed -i "$((lines * 3 / 4))s/^2025-/2025-13-/" bad.csv &&
	test_expect_code 1 env CRM_THREADS=1 crm-ltv --summary bad.csv >/dev/null 2>one.err &&
	test_expect_code 1 env CRM_THREADS=2 crm-ltv --summary bad.csv >/dev/null 2>two.err &&
	grep "bad.csv:$((lines * 3 / 4)): invalid date" one.err &&
	test_cmp one.err two.err
'

test_done
