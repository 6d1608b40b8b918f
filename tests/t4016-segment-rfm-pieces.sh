#!/bin/sh
test_description='crm-segment --rfm over one big file: its second reading in pieces by two threads gives what one thread and the rows held give'
. "$(dirname "$0")/lib.sh"

Q="'"

# With two processors and CSV out, the rows of one file read twice are
# written in pieces of 8,192 rows (SEG_PIECE), each read by one of two
# threads from where the first reading found it begins (lib/segstream.c,
# seg_stream_piece()).  So the files here have more rows than that, with
# rows that span lines, blank lines and CR LF where pieces begin.  The
# counts below come from the generator, not from crm.

test_expect_success 'setup: 30,000 customers, names with quoted line breaks, blank lines, CR LF' '
	awk -v seed=4016 "BEGIN {
		srand(seed)
		print \"date,customer,type,amount\"
		for (i = 0; i < 60000; i++) {
			k = int(30000 * rand() ^ 2)
			t = rand()
			type = t < 0.7 ? \"purchase\" : t < 0.75 ? \"refund\" : \"call\"
			amt = type == \"call\" ? \"\" : sprintf(\"%d.%02d\", int(900 * rand()), int(100 * rand()))
			d = sprintf(\"20%02d-%02d-%02d\", 23 + int(3 * rand()), 1 + int(12 * rand()), 1 + int(28 * rand()))
			print d \",c\" k \",\" type \",\" amt
		}
	}" >log.csv &&
	awk "BEGIN {
		print \"id,name,tier\"
		for (k = 0; k < 30000; k++) {
			name = (k % 9 == 0) ? \"\\\"Name, with \\\"\\\"quotes\\\"\\\"\nand a line\\\"\" : \"Name \" k
			if (k % 1000 == 999)
				name = \"=HYPERLINK(1)\"
			eol = (k % 17 == 0) ? \"\r\" : \"\"
			print \"c\" k \",\" name \",\" (k % 3 ? \"small\" : \"key\") eol
			if (k % 4096 == 4095)
				print \"\"
		}
	}" >big.csv &&
	test $(grep -c "^c[0-9]" big.csv) -eq 30000 &&
	test $(grep -c "^\$" big.csv) -eq 7 &&
	test $(grep -c "^and a line" big.csv) -eq 3330
'

test_expect_success 'two threads give what one thread and the rows held give' '
	crm-segment --rfm --csv --log log.csv big.csv >two.csv &&
	CRM_THREADS=1 crm-segment --rfm --csv --log log.csv big.csv >one.csv &&
	crm-segment --rfm --csv --log log.csv - <big.csv >held.csv &&
	test_cmp one.csv two.csv &&
	test_cmp held.csv two.csv &&
	$PY -c "
import csv
rows = list(csv.DictReader(open(\"two.csv\", newline=\"\")))
assert len(rows) == 30000, len(rows)
assert [r[\"id\"] for r in rows] == [\"c%d\" % k for k in range(30000)]
assert rows[9][\"name\"] == \"Name, with \\\"quotes\\\"\nand a line\", rows[9]
assert sum(r[\"rfm_segment\"] != \"No Purchases\" for r in rows) > 20000
"
'

test_expect_success 'the same with --safe, whose formulas are quoted in both' '
	crm-segment --rfm --csv --safe --log log.csv big.csv >two.csv &&
	CRM_THREADS=1 crm-segment --rfm --csv --safe --log log.csv big.csv >one.csv &&
	test_cmp one.csv two.csv &&
	test $(grep -c "^c[0-9]*,${Q}=HYPERLINK(1)," two.csv) -eq 30
'

test_expect_success 'rows that end a piece exactly, and a last piece of one row' '
	awk "BEGIN { print \"id,name\"; for (k = 0; k < 16384; k++) print \"c\" k \",Name \" k }" >even.csv &&
	crm-segment --rfm --csv --log log.csv even.csv >two.csv &&
	CRM_THREADS=1 crm-segment --rfm --csv --log log.csv even.csv >one.csv &&
	test_cmp one.csv two.csv &&
	test $(wc -l <two.csv) -eq 16385 &&
	echo "c16384,Name 16384" >>even.csv &&
	crm-segment --rfm --csv --log log.csv even.csv >two.csv &&
	CRM_THREADS=1 crm-segment --rfm --csv --log log.csv even.csv >one.csv &&
	test_cmp one.csv two.csv &&
	test $(wc -l <two.csv) -eq 16386
'

test_expect_success 'a file changed between the readings is an error in pieces too, after the same rows' '
	echo "crm-segment: moving.csv: changed while it was read; run again" >expect &&
	for t in 2 1; do
		cp big.csv moving.csv &&
		mkfifo log.fifo &&
		{ { cat log.csv; echo c99999,late,key >>moving.csv; } >log.fifo & } &&
		test_expect_code 1 env CRM_THREADS=$t crm-segment --rfm --csv \
		    --log log.fifo moving.csv >out$t 2>err &&
		wait &&
		rm log.fifo &&
		test_cmp expect err || exit 1
	done &&
	test_cmp out1 out2 &&
	test $(grep -c "^c[0-9]" out2) -eq 30001
'

test_expect_success 'JSON, and one thread, read the file in one piece: the same rows' '
	crm-segment --rfm --json --log log.csv big.csv >two.json &&
	crm-segment --rfm --json --log log.csv - <big.csv >held.json &&
	test_cmp held.json two.json &&
	test $(wc -l <two.json) -eq 30000
'

test_done
