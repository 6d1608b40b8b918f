#!/bin/sh
test_description='crm-segment: options, formats, columns passed through, errors'
. "$(dirname "$0")/lib.sh"

Q="'"
TRY="Try 'crm-segment --help' for more information."

test_expect_success 'setup: a store, and rows with columns of their own' '
	crm-add --name "Иван Петров" --tier key --industry металлургия >/dev/null &&
	crm-add --name "=SUM(A1)" --tier small >/dev/null &&
	crm-log c1 purchase --amount 100 --date 2026-11-01 &&
	cat >rows.csv <<-\EOF
	id,name,notes,score,region
	c1,Иван Петров,"line one
	line two, with a comma",7,north
	c2,=SUM(A1),"she said ""hi""",,south
	c3,Zoë,,3,
	EOF
'

test_expect_success '--help and --version' '
	crm-segment --help >out &&
	head -n 1 out >first &&
	echo "usage: crm-segment --by FIELD [--summary [--margin M]] [FILE...]" >expect &&
	test_cmp expect first &&
	grep "See crm-segment(1) and crm(7).\$" out &&
	crm-segment --version >out &&
	echo "crm-segment (crm) 0.1.0" >expect &&
	test_cmp expect out
'

test_expect_success 'nothing to do, or too much, is a usage error' '
	test_fails_cleanly 2 "crm-segment: say how to group: --by FIELD, --rfm, --abc FIELD, --lifecycle or --reasons
$TRY" crm-segment rows.csv &&
	test_fails_cleanly 2 "crm-segment: --summary groups by one segmentation: give only one of --by, --rfm, --abc and --lifecycle
$TRY" crm-segment --by tier --rfm --summary &&
	test_fails_cleanly 2 "crm-segment: --margin goes with --summary
$TRY" crm-segment --by tier --margin 0.2 &&
	test_fails_cleanly 2 "crm-segment: --rfm-table goes with --rfm
$TRY" crm-segment --by tier --rfm-table t.csv &&
	test_fails_cleanly 2 "crm-segment: --csv, --json and --table exclude each other
$TRY" crm-segment --by tier --csv --json
'

test_expect_success 'bad option values are usage errors' '
	test_fails_cleanly 2 "crm-segment: --margin: invalid number ${Q}0,2${Q}
$TRY" crm-segment --by tier --summary --margin 0,2 &&
	test_fails_cleanly 2 "crm-segment: --margin: ${Q}150%${Q} is not between -1 and 1 (or -100% and 100%)
$TRY" crm-segment --by tier --summary --margin 150% &&
	test_fails_cleanly 2 "crm-segment: invalid number ${Q}x${Q} for --min-gaps (from 1 to 100000)
$TRY" crm-segment --lifecycle --min-gaps x &&
	test_fails_cleanly 2 "crm-segment: invalid date ${Q}2026-13-01${Q} in --today
$TRY" crm-segment --by tier --today 2026-13-01
'

test_expect_success 'an unknown option' '
	test_expect_code 2 crm-segment --by tier --frobnicate 2>err &&
	tail -n 1 err >last &&
	echo "$TRY" >expect &&
	test_cmp expect last
'

test_expect_success 'the columns of the rows pass through untouched' '
	crm-segment --by region rows.csv >out &&
	# the input, quoting and line breaks and all, with one more column
	$PY -c "import csv, sys
rows = list(csv.reader(open(\"rows.csv\", newline=\"\")))
w = csv.writer(sys.stdout, lineterminator=\"\n\")
w.writerow(rows[0] + [\"group\"])
for r in rows[1:]:
    w.writerow(r + [r[4] or \"(none)\"])" >expect &&
	test_cmp expect out
'

test_expect_success 'JSON Lines in, JSON Lines out' '
	printf "{\"id\":\"c1\",\"x\":1}\n{\"id\":\"c2\",\"y\":true}\n" >rows.jsonl &&
	crm-segment --rfm --json rows.jsonl >out &&
	cat >expect <<-\EOF &&
	{"id":"c1","x":"1","y":"","r":3,"f":3,"m":3,"rfm":"333","rfm_segment":"Potential Loyalist"}
	{"id":"c2","x":"","y":"true","r":null,"f":null,"m":null,"rfm":"","rfm_segment":"No Purchases"}
	EOF
	test_cmp expect out
'

test_expect_success 'segmentations together, each adding its columns' '
	crm-segment --by tier --rfm --abc revenue --lifecycle >out &&
	head -n 1 out >head &&
	echo "id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created,group,r,f,m,rfm,rfm_segment,abc_share,abc,lifecycle,purchase_days,first_purchase,days_since_purchase,usual_gap,churned" >expect &&
	test_cmp expect head &&
	sed -n 2p out | cut -d, -f14- >c1 &&
	echo "key,3,3,3,333,Potential Loyalist,1.0000,A,new,1,2026-11-01,22,90," >expect &&
	test_cmp expect c1
'

test_expect_success '--safe neutralises a formula in a name' '
	crm-segment --by tier --safe >out &&
	grep "^c2,${Q}=SUM(A1),,,,tester,small," out &&
	crm-segment --by tier >out &&
	grep "^c2,=SUM(A1),,,,tester,small," out
'

test_expect_success 'the terminal table shows who and the segment' '
	crm-segment --by region --table rows.csv >out &&
	cat >expect <<-\EOF &&
	id  name         group
	c1  Иван Петров  north
	c2  =SUM(A1)     south
	c3  Zoë          (none)
	EOF
	test_cmp expect out
'

test_expect_success 'rows without an id, with an empty id, or an id twice' '
	printf "name\nx\n" >noid.csv &&
	test_fails_cleanly 1 "crm-segment: noid.csv:1: no ${Q}id${Q} or ${Q}customer${Q} column" \
	    crm-segment --by name noid.csv &&
	printf "id,name\nc1,x\n,y\n" >empty.csv &&
	test_fails_cleanly 1 "crm-segment: empty.csv:3: no id" \
	    crm-segment --by name empty.csv &&
	printf "id\nc9\nc1\n" >more.csv &&
	test_fails_cleanly 1 "crm-segment: more.csv:3: id ${Q}c1${Q} appears twice (first at rows.csv:2)" \
	    crm-segment --by region rows.csv more.csv
'

test_expect_success 'several files are one list, their columns matched by name' '
	printf "region,id\neast,c8\n" >more.csv &&
	crm-segment --by region rows.csv more.csv | tail -n 1 >out &&
	echo "c8,,,,east,east" >expect &&
	test_cmp expect out
'

test_expect_success 'bad data in the log names the file and line' '
	printf "date,customer,type,amount\n2026-11-01,c1,purchase,5\n2026-13-01,c1,call,\n" >bad.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv:3: invalid date ${Q}2026-13-01${Q}" \
	    crm-segment --rfm --log bad.csv rows.csv &&
	# An empty date on the first line was once taken for the day the
	# date cache starts with (1970-01-01).
	printf "date,customer,type,amount\n,c1,purchase,5\n" >bad.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv:2: invalid date ${Q}${Q}" \
	    crm-segment --rfm --log bad.csv rows.csv &&
	test_fails_cleanly 1 "crm-ltv: bad.csv:2: invalid date ${Q}${Q}" \
	    crm-ltv --summary bad.csv &&
	printf "date,customer,type,amount\n2026-11-01,c1,purchase,\n" >bad.csv &&
	test_fails_cleanly 1 "crm-segment: bad.csv:2: a purchase without an amount" \
	    crm-segment --rfm --log bad.csv rows.csv &&
	test_fails_cleanly 1 "crm-segment: nothere.csv: No such file or directory" \
	    crm-segment --rfm --log nothere.csv rows.csv &&
	test_fails_cleanly 1 "crm-segment: nothere.csv: No such file or directory" \
	    crm-segment --by x nothere.csv
'

test_expect_success 'a log in JSON Lines' '
	printf "{\"date\":\"2026-11-01\",\"customer\":\"c1\",\"type\":\"purchase\",\"amount\":\"100\"}\n" >log.jsonl &&
	crm-segment --rfm --log log.jsonl rows.csv >json.out &&
	printf "date,customer,type,amount\n2026-11-01,c1,purchase,100\n" >log.csv &&
	crm-segment --rfm --log log.csv rows.csv >csv.out &&
	test_cmp csv.out json.out
'

test_expect_success 'no store where one is needed' '
	test_expect_code 1 env CRM_DIR=$TRASH/nowhere crm-segment --rfm rows.csv 2>err &&
	grep "^crm-segment: no store at $TRASH/nowhere" err
'

test_expect_success 'a full disk is an error, not silence' '
	test_expect_code 1 crm-segment --by tier >/dev/full 2>err &&
	echo "crm-segment: write error: No space left on device" >expect &&
	test_cmp expect err
'

test_expect_success 'the store is only read' '
	store=$HOME/.local/share/crm &&
	snapshot "$store" >before &&
	crm-segment --rfm --lifecycle --abc revenue >/dev/null &&
	crm-segment --reasons >/dev/null &&
	crm-segment --by tier --summary --margin 0.1 >/dev/null &&
	snapshot "$store" >after &&
	test_cmp before after
'

test_done
