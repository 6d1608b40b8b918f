#!/bin/sh
test_description='two threads (one reads the log, one counts; both make the rows) give what one thread gives'
. "$(dirname "$0")/lib.sh"

# same_error CMD...: CMD fails with one thread and with two, and with
# the same message (left in one.err).
same_error () {
	test_expect_code 1 env CRM_THREADS=1 "$@" >/dev/null 2>one.err &&
	test_expect_code 1 env CRM_THREADS=2 "$@" >/dev/null 2>two.err &&
	test_cmp one.err two.err
}

# big_buys SPREAD: 9,300 purchases by c77 of the largest amount, on one
# day (SPREAD 0) or over many: their sum overflows at the 9,224th.
big_buys () {
	awk -v spread="$1" 'BEGIN { for (i = 0; i < 9300; i++)
		printf "2025-%02d-%02d,c77,purchase,shop,9999999999999.99,,,,,tester,\n",
		    spread ? i % 12 + 1 : 6, spread ? i % 28 + 1 : 1 }'
}

# About 40 MB of purchases, refunds, calls and churn events of 20,000
# customers, some with notes that hold commas, quotes and line breaks.
test_expect_success 'a log of 40 MB' '
	awk "BEGIN {
		print \"date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note\"
		for (i = 0; i < 800000; i++) {
			c = (i * 7919) % 20000 + 1
			d = sprintf(\"2025-%02d-%02d\", i % 12 + 1, i % 28 + 1)
			t = i % 10 == 0 ? \"refund\" : i % 3 ? \"purchase\" : \"call\"
			if (i % 997 == 0)
				t = \"churn\"
			a = t == \"call\" || t == \"churn\" ? \"\" : sprintf(\"%d.%02d\", i % 997, i % 100)
			n = i % 50 == 0 ? \"\\\"said \\\"\\\"hi\\\"\\\", then\\nleft\\\"\" : \"\"
			printf \"%s,c%d,%s,shop,%s,,,,,tester,%s\n\", d, c, t, a, n
		}
		# customers who only ever left, the last ones to appear
		for (i = 0; i < 50; i++)
			printf \"2025-12-0%d,x%d,churn,,,,,,,tester,\n\", i % 9 + 1, i
	}" >big.csv &&
	test $(wc -c <big.csv) -gt 33554432 &&
	awk "BEGIN { print \"id\"; for (i = 1; i <= 20000; i++) print \"c\" i;
		for (i = 0; i < 50; i++) print \"x\" i }" >cust.csv
'

test_expect_success 'the summary: the same from one thread and from two' '
	CRM_THREADS=1 crm-ltv --summary --end 2025-12-31 big.csv >one.csv &&
	CRM_THREADS=2 crm-ltv --summary --end 2025-12-31 big.csv >two.csv &&
	test $(wc -l <one.csv) -eq 20001 &&
	test_cmp one.csv two.csv
'

# 120,000 customers with 9 purchase days each: the entries, the day
# lists and the ids take blocks of a huge page, the later ones faulted
# in ahead by the reading thread while the counting thread fills the
# one before (huge_block()).
test_expect_success 'many customers, with blocks faulted in ahead: the same' '
	awk "BEGIN {
		print \"date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note\"
		for (d = 0; d < 9; d++)
			for (c = 1; c <= 120000; c++)
				printf \"2025-%02d-%02d,c%d,purchase,shop,%d.%02d,,,,,t,\n\",
				    d + 1, c % 28 + 1, c, c % 997, d
	}" >many.csv &&
	awk "BEGIN { print \"id\"; for (c = 1; c <= 120000; c++) print \"c\" c }" >many-cust.csv &&
	CRM_THREADS=1 crm-ltv --summary --end 2025-12-31 many.csv >m1.csv &&
	CRM_THREADS=2 crm-ltv --summary --end 2025-12-31 many.csv >m2.csv &&
	test $(wc -l <m1.csv) -eq 120001 &&
	grep -c ",9,9," m1.csv >n && test $(cat n) -eq 120000 &&
	test_cmp m1.csv m2.csv &&
	CRM_THREADS=1 crm-segment --rfm --csv --today 2026-01-01 --log many.csv many-cust.csv >m1.csv &&
	CRM_THREADS=2 crm-segment --rfm --csv --today 2026-01-01 --log many.csv many-cust.csv >m2.csv &&
	test $(wc -l <m1.csv) -eq 120001 &&
	test_cmp m1.csv m2.csv
'

# 300,000 customers: the index grows to 8 and 16 MB, and the reading
# thread, poked, faults in half of each (grow_index()).
test_expect_success 'an index of 16 MB, grown by two threads: the same' '
	awk "BEGIN {
		print \"date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note\"
		for (c = 1; c <= 300000; c++)
			printf \"2025-%02d-%02d,k%d,purchase,shop,%d.50,,,,,t,\n\",
			    c % 12 + 1, c % 28 + 1, c * 7919 % 300007, c % 997
	}" >index.csv &&
	CRM_THREADS=1 crm-ltv --summary --end 2025-12-31 index.csv >m1.csv &&
	CRM_THREADS=2 crm-ltv --summary --end 2025-12-31 index.csv >m2.csv &&
	test $(wc -l <m1.csv) -eq 300001 &&
	test_cmp m1.csv m2.csv
'

test_expect_success 'from a pipe, whose size is not known: the same' '
	CRM_THREADS=2 crm-ltv --summary --end 2025-12-31 - <big.csv >pipe.csv &&
	test_cmp one.csv pipe.csv &&
	cat big.csv | CRM_THREADS=2 crm-segment --rfm --today 2026-01-01 \
		--log - cust.csv >pipe-rfm.csv &&
	CRM_THREADS=1 crm-segment --rfm --today 2026-01-01 --log big.csv cust.csv >one-rfm.csv &&
	test_cmp one-rfm.csv pipe-rfm.csv
'

test_expect_success 'one thread with CRM_THREADS=1, on one processor, or for a small log of few customers' '
	ASAN_OPTIONS=detect_leaks=0 CRM_THREADS=1 strace -f -qq -e trace=clone,clone3 -o trace1 \
		crm-ltv --summary big.csv >/dev/null &&
	test_must_be_empty trace1 &&
	ASAN_OPTIONS=detect_leaks=0 taskset -c 0 strace -f -qq -e trace=clone,clone3 -o trace1 \
		crm-ltv --summary big.csv >/dev/null &&
	test_must_be_empty trace1 &&
	head -1000 big.csv >small.csv &&
	ASAN_OPTIONS=detect_leaks=0 CRM_THREADS=2 strace -f -qq -e trace=clone,clone3 -o trace1 \
		crm-ltv --summary small.csv >/dev/null &&
	test_must_be_empty trace1
'

test_expect_success 'two threads by default on two processors (where there are two)' '
	if test $(nproc) -ge 2
	then
		ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=clone,clone3 -o trace2 \
			crm-ltv --summary big.csv >/dev/null &&
		grep -c "clone" trace2 >n2 && test $(cat n2) -ge 1
	fi &&
	ASAN_OPTIONS=detect_leaks=0 CRM_THREADS=2 strace -f -qq -e trace=clone,clone3 -o trace2 \
		crm-ltv --summary big.csv >/dev/null &&
	grep -c "clone" trace2 >n2 && test $(cat n2) -ge 1
'

# Through a pipe the second thread starts whatever the size.
test_expect_success 'from a pipe: nothing, a header, a few lines, an error on the first line' '
	for input in "" "$(head -1 big.csv)" "$(head -100 big.csv)" \
		"$(head -1 big.csv; echo 2025-02-30,c1,purchase,shop,1.00,,,,,t,)"
	do
		printf "%s" "$input" >in.csv &&
		{ CRM_THREADS=1 crm-ltv --summary - <in.csv >one.csv 2>one.err; echo $? >>one.err; } &&
		{ CRM_THREADS=2 crm-ltv --summary - <in.csv >two.csv 2>two.err; echo $? >>two.err; } &&
		test_cmp one.csv two.csv &&
		test_cmp one.err two.err || return 1
	done &&
	grep "stdin:2: invalid date .2025-02-30." one.err
'

test_expect_success 'RFM and the lifecycle, with churn events: the same' '
	CRM_THREADS=1 crm-segment --rfm --today 2026-01-01 --log big.csv cust.csv >one.csv &&
	CRM_THREADS=2 crm-segment --rfm --today 2026-01-01 --log big.csv cust.csv >two.csv &&
	test_cmp one.csv two.csv &&
	CRM_THREADS=1 crm-segment --lifecycle --today 2026-01-01 --log big.csv cust.csv >one.csv &&
	CRM_THREADS=2 crm-segment --lifecycle --today 2026-01-01 --log big.csv cust.csv >two.csv &&
	test_cmp one.csv two.csv &&
	grep -c "^x[0-9]*,lost,0,,,,2025-12-0" two.csv >n && test $(cat n) -eq 50 &&
	CRM_THREADS=1 crm-segment --lifecycle --summary --today 2026-01-01 --log big.csv cust.csv >one.csv &&
	CRM_THREADS=2 crm-segment --lifecycle --summary --today 2026-01-01 --log big.csv cust.csv >two.csv &&
	test_cmp one.csv two.csv
'

test_expect_success 'the sales lost, counted by year as they come: the same' '
	CRM_THREADS=1 crm-ltv --lost --end 2025-12-31 big.csv >one.txt &&
	CRM_THREADS=2 crm-ltv --lost --end 2025-12-31 big.csv >two.txt &&
	test_cmp one.txt two.txt
'

test_expect_success 'an error three quarters in: the message one thread gives' '
	cp big.csv bad.csv &&
	lines=$(wc -l <bad.csv) &&
	sed -i "$((lines * 3 / 4))s/^2025-/2025-13-/" bad.csv &&
	same_error crm-ltv --summary bad.csv &&
	grep "bad.csv:$((lines * 3 / 4)): invalid date" one.err
'

# The reading thread meets its error (a purchase without an amount)
# after the counting thread's (an overflow, some 80 lines before): the
# earlier line is the one told, as by one thread.
test_expect_success 'an overflow just before a reading error: the overflow, as one thread' '
	head -500000 big.csv >both.csv &&
	big_buys 0 >>both.csv &&
	echo "2025-06-01,c78,call,phone,,,,,,tester," >>both.csv &&
	echo "2025-06-02,c79,purchase,shop,,,,,,tester," >>both.csv &&
	tail -200000 big.csv >>both.csv &&
	same_error crm-ltv --summary both.csv &&
	grep "both.csv:.*: the sum of amounts of customer .c77. is too large" one.err &&
	test_expect_code 1 env CRM_THREADS=2 crm-ltv --summary - <both.csv >/dev/null 2>pipe.err &&
	grep "stdin:.*too large" pipe.err
'

# The counting thread stops on the overflow while the reading thread,
# thousands of good lines ahead, waits for room or is still reading.
test_expect_success 'an overflow with many good lines after it: the overflow, as one thread' '
	head -300000 big.csv >over.csv &&
	big_buys 0 >>over.csv &&
	tail -300000 big.csv >>over.csv &&
	same_error crm-ltv --summary over.csv &&
	grep "too large" one.err &&
	same_error crm-segment --rfm --today 2026-01-01 --log over.csv cust.csv &&
	grep "over.csv:.*too large" one.err
'

# --reasons reads in one thread; there too an overflow spread over many
# days (no day's own sum overflows) comes before a later bad date.
test_expect_success 'crm-segment: an overflow before a bad date, with churn events, and --reasons' '
	head -200000 big.csv >seg.csv &&
	big_buys 1 >>seg.csv &&
	echo "2025-06-31,c78,call,phone,,,,,,tester," >>seg.csv &&
	tail -1000 big.csv >>seg.csv &&
	for how in --rfm --lifecycle --reasons
	do
		same_error crm-segment $how --today 2026-01-01 --log seg.csv cust.csv &&
		grep "seg.csv:.*customer .c77. is too large" one.err || return 1
	done
'

test_expect_success 'a reading error in the last, short batch: the same' '
	cp big.csv tail.csv &&
	echo "2025-06-02,c79,purchase,shop,,,,,,tester," >>tail.csv &&
	echo "2025-06-02,c80,purchase,shop,1.00,,,,,tester," >>tail.csv &&
	same_error crm-ltv --summary tail.csv &&
	grep "a purchase without an amount" one.err
'

# Logs under 1 MB, so that only the writing takes a second thread,
# of N customers, every third with an id that must be quoted and that a
# spreadsheet would take for a formula (=a,"N).  The rows go in chunks
# of 4,096, the odd ones made by the second thread: 8,192 is the fewest
# that take it (two whole chunks), 12,289 ends with a chunk of one row
# made by it, 20,000 with a short one made by the first.
test_expect_success 'the rows written by two threads: in order, quoted and --safe as by one' '
	cat >ids.awk <<-\EOF &&
	BEGIN {
		q = "\""
		print "date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note"
		for (i = 0; i < n; i++) {
			id = i % 3 ? "c" i : q "=a," q q i q
			printf "2025-03-%02d,%s,purchase,,%d.50,,,,,,\n", i % 28 + 1, id, i % 90
		}
	}
	EOF
	for n in 8192 12289 20000
	do
		awk -v n=$n -f ids.awk >ids.csv &&
		test $(wc -c <ids.csv) -lt 1048576 &&
		CRM_THREADS=1 crm-ltv --summary --safe --end 2025-12-31 ids.csv >one.csv &&
		CRM_THREADS=2 crm-ltv --summary --safe --end 2025-12-31 ids.csv >two.csv &&
		test $(wc -l <one.csv) -eq $((n + 1)) &&
		test $(grep -c "^\"'"'"'=a,\"\"" one.csv) -eq $(((n + 2) / 3)) &&
		test_cmp one.csv two.csv &&
		ASAN_OPTIONS=detect_leaks=0 CRM_THREADS=2 strace -f -qq \
			-e trace=clone,clone3 -o trace3 crm-ltv --summary ids.csv >/dev/null &&
		test $(grep -c clone trace3) -ge 1 || exit 1
	done &&
	awk -v n=8191 -f ids.awk >ids.csv &&
	ASAN_OPTIONS=detect_leaks=0 CRM_THREADS=2 strace -f -qq \
		-e trace=clone,clone3 -o trace3 crm-ltv --summary ids.csv >/dev/null &&
	test_must_be_empty trace3
'

test_done
