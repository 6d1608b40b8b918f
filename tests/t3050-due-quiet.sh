#!/bin/sh
test_description='crm-due from cron: nothing due, nothing printed, exit 0'
. "$(dirname "$0")/lib.sh"

# A store where nothing is due, ever: q1's follow-up was closed by a
# call without a next date (regular: no cadence); q2 is small and was
# never contacted; q3 is a key account, but lost; nobody has a birthday.
test_expect_success 'setup: a store with nothing due' '
	CRM_DIR=$TRASH/quiet &&
	export CRM_DIR &&
	crm-add --id q1 --name "Quiet One" --tier regular --email q1@example.com >/dev/null &&
	crm-add --id q2 --name "Quiet Two" --tier small >/dev/null &&
	crm-add --id q3 --name "Quiet Three" --tier key --stage lost >/dev/null &&
	crm-log q1 call --date 2026-11-01 --next 2026-11-10 --next-action "call back" &&
	crm-log q1 call done --date 2026-11-09 &&
	crm-log q2 purchase --amount 10.00 --date 2026-11-20 &&
	cat >owners.csv <<-\EOF
	owner,email
	tester,tester@example.com
	EOF
'
CRM_DIR=$TRASH/quiet
export CRM_DIR

# A sendmail that must not run: it leaves a trace when it does.
cat >sendmail <<EOF
#!/bin/sh
cat >"$TRASH/sendmail.ran"
EOF
chmod +x sendmail

# quiet ARGS...: crm-due ARGS prints nothing on either stream, exit 0.
quiet () {
	crm-due "$@" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
}

for args in "" "--within 1y" "--agenda" "--agenda --within 1m" \
	"--mail boss@example.com" "--mail boss@example.com --sendmail=./sendmail" \
	"--mail-per-owner --owners owners.csv" \
	"--mail-per-owner --owners owners.csv --sendmail=./sendmail" \
	"--ics" "--owner tester --handover boris" "--json" "--table"; do
	test_expect_success "nothing due: crm-due $args" "
		quiet $args &&
		test ! -e sendmail.ran
	"
done

# A store where the only things are beyond the day or the fortnight:
# a follow-up on 2026-12-07 (today + 14), a key account called on
# 11-20 (cadence due 12-20) and a birthday on 12-25.
test_expect_success 'setup: a store with nothing due within two weeks' '
	CRM_DIR=$TRASH/later &&
	export CRM_DIR &&
	crm-add --id l1 --name "Later One" >/dev/null &&
	crm-add --id l2 --name "Later Two" --tier key >/dev/null &&
	crm-add --id l3 --name "Later Three" --birthday 1970-12-25 >/dev/null &&
	crm-log l1 call --date 2026-11-20 --next 2026-12-07 --next-action "call again" &&
	crm-log l2 call --date 2026-11-20
'

for args in "" "--within 13d" "--agenda" "--mail boss@example.com" \
	"--mail-per-owner --owners owners.csv" "--owner tester --handover boris"; do
	test_expect_success "nothing due yet: crm-due $args" "
		CRM_DIR=\$TRASH/later &&
		export CRM_DIR &&
		quiet $args
	"
done

test_expect_success 'but --agenda --within 2w shows 2026-12-07' '
	CRM_DIR=$TRASH/later &&
	export CRM_DIR &&
	crm-due --agenda --within 2w >out &&
	tail -n 1 out >last &&
	echo "2026-12-07,Mon,1,1" >expect &&
	test_cmp expect last
'

test_expect_success 'and --ics, to come without end, has all three' '
	CRM_DIR=$TRASH/later &&
	export CRM_DIR &&
	crm-due --ics >cal.ics &&
	grep "^DTSTART" cal.ics | sort >actual &&
	printf "DTSTART;VALUE=DATE:%s\r\n" 20261207 20261220 20261225 >expect &&
	test_cmp expect actual
'

# A store that crm-add has just made: no log.csv at all.
test_expect_success 'a store without a log: nothing due' '
	CRM_DIR=$TRASH/new &&
	export CRM_DIR &&
	crm-add --name "Brand New" >/dev/null &&
	test ! -e new/log.csv &&
	quiet &&
	quiet --agenda &&
	quiet --ics &&
	quiet --mail boss@example.com
'

test_done
