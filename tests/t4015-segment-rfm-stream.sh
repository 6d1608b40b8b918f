#!/bin/sh
test_description='crm-segment --rfm over files read twice: the rows held give the same'
. "$(dirname "$0")/lib.sh"

Q="'"

# --rfm alone over regular CSV files reads them twice instead of holding
# the rows (lib/segstream.c); standard input, a FIFO, JSON Lines or
# another segmentation hold them (lib/segment.c).  Every case here runs
# both and compares.

test_expect_success 'setup: 3,000 customers, ids short and long, rows in two files' '
	awk -v seed=4015 "BEGIN {
		srand(seed)
		print \"date,customer,type,amount,note\"
		for (i = 0; i < 30000; i++) {
			k = int(3000 * rand() ^ 3)
			c = (k % 7 == 0) ? sprintf(\"customer-number-%05d\", k) : \"c\" k
			t = rand()
			type = t < 0.6 ? \"purchase\" : t < 0.65 ? \"refund\" : \"call\"
			amt = type == \"call\" ? \"\" : sprintf(\"%d.%02d\", int(500 * rand()), int(100 * rand()))
			d = sprintf(\"20%02d-%02d-%02d\", 23 + int(3 * rand()), 1 + int(12 * rand()), 1 + int(28 * rand()))
			note = (i % 11 == 0) ? \"\\\"a, \\\"\\\"quoted\\\"\\\" note\\\"\" : \"\"
			print d \",\" c \",\" type \",\" amt \",\" note
		}
	}" >log.csv &&
	awk "BEGIN {
		print \"id,name,tier\"
		for (k = 0; k < 3200; k += 2) {
			c = (k % 7 == 0) ? sprintf(\"customer-number-%05d\", k) : \"c\" k
			name = (k % 13 == 0) ? \"\\\"Name, with \\\"\\\"quotes\\\"\\\"\nand a line\\\"\" : \"Name \" k
			print c \",\" name \",\" (k % 3 ? \"small\" : \"key\")
		}
	}" >a.csv &&
	awk "BEGIN {
		print \"email,id\"
		for (k = 1; k < 3200; k += 2) {
			c = (k % 7 == 0) ? sprintf(\"customer-number-%05d\", k) : \"c\" k
			print \"x\" k \"@example.com,\" c
		}
	}" >b.csv &&
	test $(wc -l <log.csv) -eq 30001 &&
	grep -q "^customer-number-" a.csv && grep -q "^x7@example.com,customer-number-00007" b.csv
'

test_expect_success 'one file: as the rows held from standard input give, in CSV and JSON' '
	crm-segment --rfm --csv --log log.csv a.csv >twice.csv &&
	crm-segment --rfm --csv --log log.csv - <a.csv >held.csv &&
	test_cmp held.csv twice.csv &&
	test $(grep -c ",No Purchases$" twice.csv) -gt 100 &&
	test $(grep -c ",[1-5],[1-5],[1-5],[1-5][1-5][1-5]," twice.csv) -gt 1000 &&
	crm-segment --rfm --json --log log.csv a.csv >twice.json &&
	crm-segment --rfm --json --log log.csv - <a.csv >held.json &&
	test_cmp held.json twice.json
'

test_expect_success 'two files with columns of their own: as a FIFO (held) gives' '
	crm-segment --rfm --csv --log log.csv a.csv b.csv >twice.csv &&
	mkfifo b.fifo &&
	{ cat b.csv >b.fifo & } &&
	crm-segment --rfm --csv --log log.csv a.csv b.fifo >held.csv &&
	wait &&
	test_cmp held.csv twice.csv &&
	head -n 1 twice.csv >head &&
	echo "id,name,tier,email,r,f,m,rfm,rfm_segment" >expect &&
	test_cmp expect head &&
	grep -q "^c1,,,x1@example.com," twice.csv
'

test_expect_success 'a column named like a score is replaced in place, as when held' '
	sed "1s/tier/rfm/" a.csv >own.csv &&
	crm-segment --rfm --csv --log log.csv own.csv >twice.csv &&
	crm-segment --rfm --csv --log log.csv - <own.csv >held.csv &&
	test_cmp held.csv twice.csv &&
	head -n 1 twice.csv >head &&
	echo "id,name,rfm,r,f,m,rfm_segment" >expect &&
	test_cmp expect head
'

test_expect_success 'a crm-ltv --summary for the log, and a table of segments' '
	crm-ltv --summary --csv log.csv >sum.csv &&
	printf "name,r,f,m\nTop,5,*,*\nRest,*,*,*\n" >table.csv &&
	crm-segment --rfm --csv --log sum.csv --rfm-table table.csv a.csv b.csv >twice.csv &&
	mkfifo b2.fifo &&
	{ cat b.csv >b2.fifo & } &&
	crm-segment --rfm --csv --log sum.csv --rfm-table table.csv a.csv b2.fifo >held.csv &&
	wait &&
	test_cmp held.csv twice.csv &&
	grep -q ",Top$" twice.csv && grep -q ",Rest$" twice.csv
'

test_expect_success 'the same errors, naming file and line' '
	printf "id,name\nc1,x\n,y\n" >empty.csv &&
	test_fails_cleanly 1 "crm-segment: empty.csv:3: no id" \
	    crm-segment --rfm --log log.csv empty.csv &&
	test_fails_cleanly 1 "crm-segment: empty.csv:3: no id" \
	    crm-segment --rfm --log log.csv empty.csv a.csv b.csv &&
	printf "id,name\nc2,x\n\"c2\",y\n" >twice.csv &&
	test_fails_cleanly 1 "crm-segment: twice.csv:3: id ${Q}c2${Q} appears twice (first at twice.csv:2)" \
	    crm-segment --rfm --log log.csv twice.csv &&
	printf "id\nc2\nc3\n" >more.csv &&
	test_fails_cleanly 1 "crm-segment: more.csv:3: id ${Q}c3${Q} appears twice (first at b.csv:3)" \
	    crm-segment --rfm --log log.csv b.csv more.csv &&
	printf "id\nnobody\n" >none1.csv &&
	printf "id\r\nnobody\r\n" >none2.csv &&
	test_fails_cleanly 1 "crm-segment: none2.csv:2: id ${Q}nobody${Q} appears twice (first at none1.csv:2)" \
	    crm-segment --rfm --log log.csv none1.csv none2.csv &&
	printf "id,name\nc1,x\nc4,y,z\n" >wide.csv &&
	test_fails_cleanly 1 "crm-segment: wide.csv:3: 3 fields where the header has 2" \
	    crm-segment --rfm --log log.csv wide.csv &&
	printf "id,name\nc1,x\nc1,y\nc4,y,z\n" >first.csv &&
	test_fails_cleanly 1 "crm-segment: first.csv:3: id ${Q}c1${Q} appears twice (first at first.csv:2)" \
	    crm-segment --rfm --log log.csv first.csv &&
	printf "id,name\nnobody,x\nnobody,y\n,z\n" >first.csv &&
	test_fails_cleanly 1 "crm-segment: first.csv:3: id ${Q}nobody${Q} appears twice (first at first.csv:2)" \
	    crm-segment --rfm --log log.csv first.csv &&
	printf "name\nx\n" >noid.csv &&
	test_fails_cleanly 1 "crm-segment: noid.csv:1: no ${Q}id${Q} or ${Q}customer${Q} column" \
	    crm-segment --rfm --log log.csv noid.csv
'

test_expect_success 'read twice, the log is read before the rows are checked' '
	printf "date,customer,type,amount\n2026-13-01,c1,purchase,5\n" >bad.csv &&
	printf "id\nc1\nc1\n" >dup.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv:2: invalid date ${Q}2026-13-01${Q}" \
	    crm-segment --rfm --log bad.csv dup.csv &&
	test_fails_cleanly 1 "crm-segment: stdin:3: id ${Q}c1${Q} appears twice (first at stdin:2)" \
	    crm-segment --rfm --log bad.csv - <dup.csv
'

test_expect_success 'a file changed between the two readings is an error' '
	cp a.csv moving.csv &&
	mkfifo log.fifo &&
	{ { cat log.csv; echo c1,late,key >>moving.csv; } >log.fifo & } &&
	test_expect_code 1 crm-segment --rfm --csv --log log.fifo moving.csv >out 2>err &&
	wait &&
	echo "crm-segment: moving.csv: changed while it was read; run again" >expect &&
	test_cmp expect err
'

test_expect_success 'with another segmentation (held): the same scores' '
	crm-segment --rfm --csv --log log.csv a.csv >twice.csv &&
	crm-segment --rfm --by tier --csv --log log.csv a.csv >by.csv &&
	$PY -c "
import csv, sys
a = list(csv.DictReader(open(\"twice.csv\")))
b = list(csv.DictReader(open(\"by.csv\")))
assert len(a) == len(b) == 1600, (len(a), len(b))
for x, y in zip(a, b):
    for k in (\"id\", \"r\", \"f\", \"m\", \"rfm\", \"rfm_segment\"):
        assert x[k] == y[k], (k, x[k], y[k])
"
'

test_expect_success 'the store: read twice, as held rows (with --by) give' '
	for n in A B C D E F; do
		CRM_DIR=$TRASH/st crm-add --name "Customer $n" >/dev/null || return 1
	done &&
	cat >st-log.csv <<-\EOF &&
	date,customer,type,amount
	2026-01-10,c1,purchase,100
	2026-05-10,c1,purchase,100
	2026-11-10,c2,purchase,50
	2026-11-11,c2,refund,10
	2026-10-01,c4,purchase,70
	2026-10-02,c5,purchase,7
	EOF
	CRM_DIR=$TRASH/st crm-log --import st-log.csv &&
	CRM_DIR=$TRASH/st crm-segment --rfm --csv >twice.csv &&
	CRM_DIR=$TRASH/st crm-segment --rfm --by id --csv >by.csv &&
	$PY -c "
import csv, sys
rows = list(csv.reader(open(\"by.csv\")))
g = rows[0].index(\"group\")
w = csv.writer(sys.stdout, lineterminator=\"\n\")
for r in rows:
    w.writerow(r[:g] + r[g + 1:])
" >held.csv &&
	test_cmp held.csv twice.csv &&
	test $(wc -l <twice.csv) -eq 7 &&
	grep -q "^c3,.*,No Purchases$" twice.csv
'

test_expect_success 'the store: the same errors as held rows give' '
	cp st/customers.csv st.keep &&
	sed -n 2p st/customers.csv >>st/customers.csv &&
	test_expect_code 1 env CRM_DIR=$TRASH/st crm-segment --rfm --csv >out 2>twice.err &&
	test_expect_code 1 env CRM_DIR=$TRASH/st crm-segment --rfm --by id --csv >out 2>held.err &&
	test_cmp held.err twice.err &&
	grep -q "customers.csv:8: id ${Q}c1${Q} is already used on line 2" twice.err &&
	cp st.keep st/customers.csv &&
	sed -n 3p st/customers.csv | sed "s/^c2,/c 9,/" >>st/customers.csv &&
	test_expect_code 1 env CRM_DIR=$TRASH/st crm-segment --rfm --csv >out 2>twice.err &&
	test_expect_code 1 env CRM_DIR=$TRASH/st crm-segment --rfm --by id --csv >out 2>held.err &&
	test_cmp held.err twice.err &&
	grep -q "customers.csv:8: invalid id ${Q}c 9${Q}" twice.err &&
	cp st.keep st/customers.csv
'

test_expect_success 'the store: a file with fewer columns gets the others empty, as held' '
	cut -d, -f1,2 st.keep >st/customers.csv &&
	CRM_DIR=$TRASH/st crm-segment --rfm --csv >twice.csv &&
	CRM_DIR=$TRASH/st crm-segment --rfm --by id --csv >by.csv &&
	cut -d, -f1-13,15- by.csv >held.csv &&
	test_cmp held.csv twice.csv &&
	head -n 1 twice.csv >head &&
	echo "id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created,r,f,m,rfm,rfm_segment" >expect &&
	test_cmp expect head &&
	cp st.keep st/customers.csv
'

test_expect_success 'a store without customers.csv yet: the columns, no rows' '
	mkdir -m 700 bare &&
	CRM_DIR=$TRASH/bare crm-segment --rfm --csv --log log.csv >out &&
	echo "id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created,r,f,m,rfm,rfm_segment" >expect &&
	test_cmp expect out
'

test_expect_success '--summary: as held rows give, with and without a margin' '
	awk -F, "BEGIN { OFS = \",\" } NR == 1 { print \$0, \"margin\"; next }
	    { print \$0, (NR % 4) / 10 }" b.csv >bm.csv &&
	for opts in "--csv" "--json" "--table" "--csv --margin 0.25" "--csv --margin margin"; do
		crm-segment --rfm --summary $opts --log log.csv bm.csv >twice.out &&
		crm-segment --rfm --summary $opts --log log.csv - <bm.csv >held.out &&
		test_cmp held.out twice.out || return 1
	done &&
	$PY -c "
import csv, sys
w = csv.writer(sys.stdout, lineterminator=\"\n\")
for i, r in enumerate(csv.reader(open(\"a.csv\"))):
    w.writerow(r + [\"margin\" if i == 0 else \"%d%%\" % (i % 50)])
" >am.csv &&
	crm-segment --rfm --summary --csv --margin margin --log log.csv am.csv bm.csv >twice.out &&
	mkfifo bm.fifo &&
	{ cat bm.csv >bm.fifo & } &&
	crm-segment --rfm --summary --csv --margin margin --log log.csv am.csv bm.fifo >held.out &&
	wait &&
	test_cmp held.out twice.out &&
	head -n 1 twice.out >head &&
	echo "rfm_segment,customers,customers_share,revenue,revenue_share,contribution" >expect &&
	test_cmp expect head &&
	test $(wc -l <twice.out) -ge 8
'

test_expect_success '--summary: a bad margin or none, named as held rows name it' '
	sed "3s/0\.[0-9]*\$/2.5/" bm.csv >bad.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv:3: invalid margin ${Q}2.5${Q} (from -1 to 1, or a percentage)" \
	    crm-segment --rfm --summary --margin margin --log log.csv bad.csv &&
	test_fails_cleanly 1 "crm-segment: a.csv: no column ${Q}nomargin${Q} for --margin" \
	    crm-segment --rfm --summary --margin nomargin --log log.csv a.csv &&
	test_fails_cleanly 1 "crm-segment: stdin: no column ${Q}nomargin${Q} for --margin" \
	    crm-segment --rfm --summary --margin nomargin --log log.csv - <a.csv
'

test_done
