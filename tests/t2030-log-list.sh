#!/bin/sh
test_description='crm-log --list: the filters, CSV, JSON Lines, the table, --safe and write errors'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
LOGHDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note

test_expect_success 'setup' '
	crm-add --name "Иван Петров" --owner anna --email ivan@x.example >/dev/null &&
	crm-add --name "Ľubomír Šťastný" --owner ján >/dev/null &&
	crm-add --name "Bjørn Ødegård" --owner anna >/dev/null &&
	crm-add --name "Ivana Novak" --owner boris >/dev/null &&
	crm-add --name "Ivan Kovač" --owner boris >/dev/null &&
	crm-log c1 call --date 2026-11-02 --channel Телефон "первый звонок" &&
	crm-log c2 email --date 2026-11-03 --next 2026-11-30 --next-action "poslať ponuku" &&
	crm-log c3 purchase --amount 1200.50 --date 2026-11-05 --channel butikk &&
	crm-log c1 meeting --date 2026-11-10 --outcome "договорились, ждём" &&
	crm-log c4 refund --amount 20 --date 2026-11-12 &&
	crm-log c3 note --date 2026-11-20 "Ødegård: ærlig, \"direkte\"" &&
	crm-log c2 call --date 2026-11-23
'

# listed ARGS...: the customer and type of each row crm-log --list writes.
listed () {
	crm-log --list "$@" >out || return 1
	head -n 1 out >hdr
	echo "$LOGHDR" >hdr.want
	test_cmp hdr.want hdr || return 1
	sed 1d out | cut -d, -f2,3 | tr "\n" " " >got
	echo >>got
}

test_expect_success '--list writes the whole log as CSV' '
	crm-log --list >out 2>err &&
	test_must_be_empty err &&
	test_cmp store/log.csv out &&
	crm-log --list --csv >out && test_cmp store/log.csv out
'

test_expect_success '--customer by id, e-mail, name prefix, accents' '
	listed --customer c1 && echo "c1,call c1,meeting " >want && test_cmp want got &&
	listed --customer IVAN@X.EXAMPLE && test_cmp want got &&
	listed --customer петр && test_cmp want got &&
	listed --customer lubomir && echo "c2,email c2,call " >want && test_cmp want got
'

test_expect_success '--customer refusals' '
	test_fails_cleanly 1 "crm-log: no customer ${SQ}c99${SQ}" crm-log --list --customer c99 &&
	test_fails_cleanly 1 "crm-log: ${SQ}iva${SQ} fits 2 customers: c4 (Ivana Novak), c5 (Ivan Kovač); give the id" \
		crm-log --list --customer iva
'

test_expect_success '--type, one or a comma list' '
	listed --type call && echo "c1,call c2,call " >want && test_cmp want got &&
	listed --type purchase,refund && echo "c3,purchase c4,refund " >want && test_cmp want got &&
	listed --type note,meeting,email &&
	echo "c2,email c1,meeting c3,note " >want && test_cmp want got &&
	listed --type cal && echo "" >want && test_cmp want got
'

test_expect_success '--owner: the events of that owner'"'"'s customers' '
	listed --owner anna &&
	echo "c1,call c3,purchase c1,meeting c3,note " >want && test_cmp want got &&
	listed --owner ján && echo "c2,email c2,call " >want && test_cmp want got &&
	listed --owner nobody && echo "" >want && test_cmp want got
'

test_expect_success '--since and --until, inclusive' '
	listed --since 2026-11-05 --until 2026-11-12 &&
	echo "c3,purchase c1,meeting c4,refund " >want && test_cmp want got &&
	listed --since 2026-11-23 && echo "c2,call " >want && test_cmp want got &&
	listed --until 2026-11-02 && echo "c1,call " >want && test_cmp want got
'

test_expect_success 'the filters together' '
	listed --owner anna --type call,meeting,note --since 2026-11-03 --customer c1 &&
	echo "c1,meeting " >want && test_cmp want got
'

test_expect_success 'the owner is the customer'"'"'s owner now, after a reassign' '
	CRM_DIR=re && export CRM_DIR &&
	crm-add --name X --owner anna >/dev/null &&
	crm-log c1 call --date 2026-11-01 &&
	crm-add --reassign anna --to boris >/dev/null &&
	crm-log --list --owner boris >out &&
	test $(wc -l <out) = 3 &&
	crm-log --list --owner anna >out &&
	test $(wc -l <out) = 1
'

test_expect_success '--json: valid JSON Lines, the log'"'"'s columns as strings' '
	crm-log --list --json >out &&
	$PY -c "
import json
rows = [json.loads(l) for l in open(\"out\", encoding=\"utf-8\")]
assert len(rows) == 7, rows
assert list(rows[0]) == \"$LOGHDR\".split(\",\"), list(rows[0])
assert rows[0][\"channel\"] == \"Телефон\" and rows[0][\"note\"] == \"первый звонок\"
assert rows[2][\"amount\"] == \"1200.50\", rows[2]
assert rows[5][\"note\"] == \"Ødegård: ærlig, \\\"direkte\\\"\", rows[5]
assert all(isinstance(v, str) for r in rows for v in r.values())
"
'

test_expect_success '--json with filters' '
	crm-log --list --json --type purchase >out &&
	$PY -c "
import json
rows = [json.loads(l) for l in open(\"out\")]
assert [r[\"customer\"] for r in rows] == [\"c3\"], rows
"
'

test_expect_success '--table aligns by display width' '
	crm-log --list --table --type call,email,meeting >out &&
	sed "s/ *\$//" out >got &&
	cat >want <<-\EOF &&
	date        customer  type     channel  amount  outcome             next        next_action    assignee  by      note
	2026-11-02  c1        call     Телефон                                                                   tester  первый звонок
	2026-11-03  c2        email                                         2026-11-30  poslať ponuku            tester
	2026-11-10  c1        meeting                   договорились, ждём                                       tester
	2026-11-23  c2        call                                                                               tester
	EOF
	test_cmp want got
'

test_expect_success '--table shows a note'"'"'s line break and control characters harmlessly' '
	CRM_DIR=ctl && export CRM_DIR &&
	crm-add --name X >/dev/null &&
	crm-log c1 note "$(printf "two\nlines")" &&
	printf "2026-11-23,c1,note,,,,,,,tester,\"esc\033[2J\"\n" >>ctl/log.csv &&
	crm-log --list --table >out &&
	tail -n 2 out | sed "s/ *\$//" >got &&
	printf "2026-11-23  c1        note                                                         tester  two lines\n2026-11-23  c1        note                                                         tester  esc\357\277\275[2J\n" >want &&
	test_cmp want got
'

test_expect_success '--safe prefixes formula-looking cells, leaves amounts alone' '
	CRM_DIR=safe && export CRM_DIR &&
	crm-add --name "Safe" >/dev/null &&
	crm-log c1 refund --amount 12.50 --outcome "=HYPERLINK(\"http://evil.example\",\"x\")" "+cmd" &&
	crm-log c1 call --outcome -2+3 --channel "@SUM(A1:A2)" -- -12.50 &&
	crm-log c1 call --outcome -12.50 --channel +5 &&
	crm-log --list --safe >out &&
	sed 1d out >got &&
	cat >want <<-EOF &&
	2026-11-23,c1,refund,,12.50,"${SQ}=HYPERLINK(""http://evil.example"",""x"")",,,,tester,${SQ}+cmd
	2026-11-23,c1,call,${SQ}@SUM(A1:A2),,${SQ}-2+3,,,,tester,-12.50
	2026-11-23,c1,call,+5,,-12.50,,,,tester,
	EOF
	test_cmp want got &&
	crm-log --list >out &&
	test_cmp safe/log.csv out
'

test_expect_success '--safe also for --history --csv' '
	CRM_DIR=safe crm-log --history c1 --csv --safe >out &&
	grep "^2026-11-23,c1,refund,,12.50,\"${SQ}=HYPERLINK" out
'

test_expect_success 'a store without a log lists no event: the header, no rows' '
	CRM_DIR=nolog && export CRM_DIR &&
	crm-add --name A >/dev/null &&
	crm-log --list >out &&
	echo "date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note" >expect &&
	test_cmp expect out &&
	crm-log --list --json >out && test_must_be_empty out
'

test_expect_success 'a missing store is an error' '
	test_fails_cleanly 1 "crm-log: no store at nowhere (crm-add creates it; see --dir)" \
		crm-log -d nowhere --list &&
	test ! -e nowhere
'

test_expect_success 'a bad row in the log: exit 1, its line named, the log left alone' '
	CRM_DIR=badlog && export CRM_DIR &&
	crm-add --name A >/dev/null &&
	crm-log c1 call &&
	cp badlog/log.csv log.good &&
	printf "2026-02-30,c1,call,,,,,,,tester,\n" >>badlog/log.csv &&
	cp badlog/log.csv log.bad &&
	test_expect_code 1 crm-log --list >out 2>err &&
	echo "crm-log: badlog/log.csv:3: invalid date ${SQ}2026-02-30${SQ}" >want &&
	test_cmp want err &&
	test_cmp log.bad badlog/log.csv &&
	cp log.good badlog/log.csv &&
	printf "2026-11-23,c1,call,,1e309,,,,,tester,\n" >>badlog/log.csv &&
	test_expect_code 1 crm-log --list >out 2>err &&
	echo "crm-log: badlog/log.csv:3: invalid amount ${SQ}1e309${SQ}" >want &&
	test_cmp want err &&
	test_expect_code 1 crm-log --history c1 >out 2>err &&
	test_cmp want err
'

test_expect_success '--list to a full disk is a write error' '
	test_expect_code 1 crm-log --list --csv >/dev/full 2>err &&
	echo "crm-log: write error: No space left on device" >want &&
	test_cmp want err &&
	test_expect_code 1 crm-log --list --json >/dev/full 2>err &&
	test_cmp want err &&
	test_expect_code 1 crm-log --list --table >/dev/full 2>err &&
	test_cmp want err
'

test_expect_success '--list to a closed pipe is an error' '
	CRM_DIR=big && export CRM_DIR &&
	crm-add --name A >/dev/null &&
	awk "BEGIN { print \"customer,type,note\"; for (i = 0; i < 5000; i++) print \"c1,call,note \" i }" |
		crm-log --import &&
	(trap "" PIPE; crm-log --list 2>err; echo $? >status) | head -n 1 >/dev/null &&
	echo 1 >want && test_cmp want status &&
	echo "crm-log: write error: Broken pipe" >want &&
	test_cmp want err
'

test_done
