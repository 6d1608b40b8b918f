#!/bin/sh
test_description='crm-log and crm-add at the same time: appends never interleave, readers never see half a write'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
LOGHDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note

# check_log N: the log parses as CSV, has N well-formed events after its
# header, and each process P's events "p<P> #<i>" are all there, once.
check_log () {
	crm-log --list --csv >all.csv || return 1
	test $(crm-log --list --csv | wc -l) = $(($1 + 1)) || {
		echo "want $(($1 + 1)) lines"; return 1; }
	$PY - "$1" <<-\EOF
	import csv, re, sys
	want = int(sys.argv[1])
	rows = list(csv.reader(open("all.csv", encoding="utf-8", newline="")))
	head = rows.pop(0)
	assert head == "date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note".split(","), head
	assert len(rows) == want, len(rows)
	seen = {}
	for r in rows:
	    assert len(r) == 11, r
	    assert re.fullmatch(r"2026-11-(2[0-3])", r[0]), r
	    assert re.fullmatch(r"c[1-8]", r[1]), r
	    m = re.fullmatch(r"p(\d+) #(\d+)(, with a comma \"and a quote\")?", r[10])
	    assert m, r
	    key = (int(m.group(1)), int(m.group(2)))
	    assert key not in seen, ("twice", r)
	    seen[key] = 1
	procs = {}
	for p, i in seen:
	    procs.setdefault(p, set()).add(i)
	for p, s in procs.items():
	    assert s == set(range(1, len(s) + 1)), ("gaps", p)
	assert len(seen) == want
	EOF
}

# gen_events P: 2,000 events of customer cP, each note "pP #i" with a
# comma and quotes, over four days.
gen_events () {
	awk -v p="$1" 'BEGIN {
		print "date,customer,type,note"
		for (i = 1; i <= 2000; i++)
			printf "2026-11-2%d,c%d,call,\"p%d #%d, with a comma \"\"and a quote\"\"\"\n", i % 4, p, p, i
	}'
}

test_expect_success 'setup: eight customers' '
	for i in 1 2 3 4 5 6 7 8; do
		crm-add --name "Customer $i" >/dev/null || exit 1
	done
'

test_expect_success '8 concurrent crm-log --import of 2,000 events each: exactly 16,000 rows' '
	for p in 1 2 3 4 5 6 7 8; do
		gen_events $p >in$p.csv || exit 1
	done &&
	for p in 1 2 3 4 5 6 7 8; do
		crm-log --import in$p.csv 2>err$p &
	done &&
	wait &&
	cat err1 err2 err3 err4 err5 err6 err7 err8 >errs &&
	test_must_be_empty errs &&
	check_log 16000 &&
	for p in 1 2 3 4 5 6 7 8; do
		test $(crm-log --list --customer c$p | sed 1d | grep -c "^2026") = 2000 || exit 1
	done
'

test_expect_success '8 concurrent loops of single appends, with readers running' '
	CRM_DIR=single && export CRM_DIR &&
	for i in 1 2 3 4 5 6 7 8; do
		crm-add --name "Customer $i" >/dev/null || exit 1
	done &&
	crm-log c1 note "p0 #1" --date 2026-11-20 &&
	for p in 1 2 3 4 5 6 7 8; do
		(
			i=1
			while [ $i -le 60 ]; do
				crm-log c$p call "p$p #$i" --date 2026-11-2$((i % 4)) || exit 1
				i=$((i + 1))
			done
		) >out$p 2>err$p &
	done
	# The readers, in the background too; then wait for all of them.
	(
		i=0
		while [ $i -lt 40 ]; do
			crm-log --list >/dev/null || { echo "reader failed"; exit 1; }
			crm-log --history c1 --csv >/dev/null || { echo "history failed"; exit 1; }
			i=$((i + 1))
		done
	) >reader.out 2>&1 &
	wait
	test $(jobs -p | wc -l) = 0 &&
	cat err1 err2 err3 err4 err5 err6 err7 err8 reader.out >errs &&
	test_must_be_empty errs &&
	check_log 481
'

test_expect_success 'concurrent crm-add: every customer added once, ids unique' '
	CRM_DIR=adds && export CRM_DIR &&
	for p in 1 2 3 4; do
		(
			i=1
			while [ $i -le 25 ]; do
				crm-add --name "Proc $p Cust $i" >/dev/null || exit 1
				i=$((i + 1))
			done
		) 2>err$p &
	done &&
	wait &&
	cat err1 err2 err3 err4 >errs && test_must_be_empty errs &&
	crm-add --list >list &&
	test $(sed 1d list | wc -l) = 100 &&
	sed 1d list | cut -d, -f1 | sort -u | wc -l >n && echo 100 >want && test_cmp want n &&
	sed 1d list | cut -d, -f2 | sort -u | wc -l >n && test_cmp want n &&
	ls -A adds >files &&
	printf "%s\n" .lock customers.csv >want && test_cmp want files
'

test_done
