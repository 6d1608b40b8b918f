#!/bin/sh
test_description='crm-due: usage errors exit 2 with a message, --help exits 0'
. "$(dirname "$0")/lib.sh"

E=$TEST_SRC/t3000

# Two stores: the fixed one of t3000, where things are due, and one
# where nothing is (a usage error must not hang on what the data holds).
test_expect_success 'setup: the fixed store and a quiet one' '
	mkdir store &&
	cp "$E/customers.csv" "$E/log.csv" store/ &&
	chmod 700 store &&
	chmod 600 store/customers.csv store/log.csv &&
	CRM_DIR=$TRASH/quiet crm-add --name "Nobody Due" >/dev/null
'
CRM_DIR=$TRASH/store
export CRM_DIR
TRY="Try 'crm-due --help' for more information."

# usage_error MESSAGE ARGS...: crm-due ARGS exits 2, prints MESSAGE and
# the hint on stderr, nothing on stdout, and leaves the store as it was.
usage_error () {
	msg=$1
	shift
	test_fails_cleanly 2 "crm-due: $msg
$TRY" crm-due "$@" || {
		echo "stdout:" && cat .stdout && echo "stderr:" && cat .stderr
		return 1
	}
}

while IFS='|' read -r args msg; do
	test_expect_success "usage: crm-due $args" "
		usage_error \"\$(cat <<\\EOM
$msg
EOM
)\" $args
	"
done <<\EOF
--within 7x|--within: invalid length of time '7x' (examples: 7d, 2w, 1m)
--within -1d|--within: invalid length of time '-1d' (examples: 7d, 2w, 1m)
--until 2026-13-01|--until: invalid date '2026-13-01'
--today 2026-02-30|invalid date '2026-02-30' in --today
--mail a@b --mail-per-owner|--agenda, --ics, --mail, --mail-per-owner and --handover exclude each other
--agenda --ics|--agenda, --ics, --mail, --mail-per-owner and --handover exclude each other
--within 7d --until fri|--within and --until exclude each other
--sendmail|--sendmail goes with --mail or --mail-per-owner
--owners owners.csv|--owners goes with --mail-per-owner
--handover boris|--handover needs --owner: whose follow-ups to hand over
--cadence gold=10|invalid cadence 'gold=10' (a tier, =, a number of days)
--cadence key|invalid cadence 'key' (for example key=30,vip=14)
--cadence key=-1|invalid cadence 'key=-1' (a tier, =, a number of days)
--complaint-hours abc|invalid number of hours 'abc'
--complaint-hours -1|invalid number of hours '-1'
--csv --json|--csv, --json and --table exclude each other
extra|unexpected argument 'extra'
--bogus|unrecognized option '--bogus'
--owner|option '--owner' requires an argument
EOF

test_expect_success 'usage: --mail with a bad address, things due' '
	usage_error "--mail: invalid e-mail address '\''a b@c'\'': space" \
		--mail "a b@c"
'

# The address is an option: wrong whether or not anything is due today,
# or a cron job with a typo would fail only on busy days.
test_expect_success 'usage: --mail with a bad address, nothing due' '
	CRM_DIR=$TRASH/quiet &&
	export CRM_DIR &&
	usage_error "--mail: invalid e-mail address '\''a b@c'\'': space" \
		--mail "a b@c"
'

test_expect_success 'usage: --mail with no domain' '
	usage_error "--mail: invalid e-mail address '\''boss'\'': no '\''@'\''" \
		--mail boss
'

test_expect_success '--help: the usage on stdout, exit 0' '
	crm-due --help >out 2>err &&
	test_must_be_empty err &&
	head -n 1 out >first &&
	echo "usage: crm-due [--within SPAN | --until DATE] [--owner NAME]" >expect &&
	test_cmp expect first &&
	for opt in --within --until --owner --no-followups --no-complaints \
		--no-cadence --no-birthdays --cadence --complaint-hours \
		--customers --agenda --mail --mail-per-owner --owners \
		--sendmail --ics --handover; do
		grep -q -e "$opt" out || exit 1
	done
'

test_expect_success '-h is --help' '
	crm-due --help >expect &&
	crm-due -h >out &&
	test_cmp expect out
'

test_expect_success '--help wins over a bad option after it' '
	crm-due --help --within 7x >out 2>err &&
	test_must_be_empty err &&
	test -s out
'

test_expect_success 'no store: an error, exit 1' '
	CRM_DIR=$TRASH/none &&
	export CRM_DIR &&
	test_expect_code 1 crm-due >out 2>err &&
	test_must_be_empty out &&
	echo "crm-due: no store at $TRASH/none (crm-add creates it; see --dir)" >expect &&
	test_cmp expect err &&
	test ! -e none
'

test_done
