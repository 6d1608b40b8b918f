# tests/lib.sh - a small test library in the manner of git's t/test-lib.sh.
#
# A test script sources it, runs test_expect_success (and friends) and
# ends with test_done.  Output is TAP, so prove(1) runs the scripts.
# Each script works in a trash directory of its own, with a fixed today
# and user, and removes it when every case passed.

set -u

TEST_NAME=$(basename "$0" .sh)
TEST_SRC=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TEST_SRC/.." && pwd)
: "${CRM_BUILD:=$TOP/build}"
PATH="$CRM_BUILD/bin:$PATH"
# Debian's python3 with its packages (icalendar, aiosmtpd, vobject),
# not whatever python3 comes first on PATH.
PY=/usr/bin/python3

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/crm-$TEST_NAME.XXXXXX")
cd "$TRASH" || exit 1
mkdir home

unset CRM_DIR CRM_TYPES CRM_MAIL_FROM XDG_DATA_HOME COLUMNS
export HOME="$TRASH/home" CRM_TODAY=2026-11-23 CRM_USER=tester
export LC_ALL=C.UTF-8 TZ=UTC
umask 022

test_count=0
test_failed=0

# test_expect_success TITLE BODY: BODY is run by a subshell with set -e;
# the case passes when it exits 0.
test_expect_success () {
	test_count=$((test_count + 1))
	if (set -e; eval "$2") >"$TRASH/.out" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/.out"
	fi
}

# test_expect_failure is for a known bug: it must still fail.
test_expect_failure () {
	test_count=$((test_count + 1))
	if (set -e; eval "$2") >"$TRASH/.out" 2>&1; then
		echo "ok $test_count - $1 # TODO known breakage vanished"
	else
		echo "not ok $test_count - $1 # TODO known breakage"
	fi
}

# test_expect_code CODE CMD ARGS...: CMD exits with CODE.
test_expect_code () {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "exit status $got, want $want: $*" >&2
		return 1
	fi
	return 0
}

# test_cmp EXPECTED ACTUAL: the files are the same (a diff if not).
test_cmp () {
	diff -u "$1" "$2"
}

# test_must_be_empty FILE
test_must_be_empty () {
	if [ -s "$1" ]; then
		echo "'$1' is not empty:" >&2
		cat "$1" >&2
		return 1
	fi
}

# snapshot DIR: every file of a store with its mode and checksum, for
# comparing a store byte for byte before and after a failed command.
snapshot () {
	(cd "$1" && find . -type f ! -name .lock -print0 | sort -z |
		xargs -0 -r stat -c '%a %s %n' &&
		find . -type f ! -name .lock -print0 | sort -z |
		xargs -0 -r sha256sum)
}

# test_fails_cleanly CODE MESSAGE CMD ARGS...: the command exits with
# CODE, prints exactly MESSAGE on stderr, nothing on stdout, and leaves
# the store in $CRM_DIR (or ./store) byte for byte as it was.
test_fails_cleanly () {
	code=$1 msg=$2
	shift 2
	dir=${CRM_DIR:-store}
	if [ -d "$dir" ]; then snapshot "$dir" >.before; else : >.before; fi
	test_expect_code "$code" "$@" >.stdout 2>.stderr || return 1
	printf '%s\n' "$msg" >.expect
	test_cmp .expect .stderr || return 1
	test_must_be_empty .stdout || return 1
	if [ -d "$dir" ]; then snapshot "$dir" >.after; else : >.after; fi
	test_cmp .before .after
}

# man_examples PAGE: a case for each example of the page's EXAMPLES, run
# in order in a store of their own as a reader would type them; what each
# prints (stdout and stderr) must be what the page says.
man_examples () {
	page=$1
	name=$(basename "$page")
	mkdir -p "ex/$name"
	awk -v dir="ex/$name" -f "$TOP/tests/man-examples.awk" "$page"
	n=$(cat "ex/$name/count")
	i=1
	while [ "$i" -le "$n" ]; do
		test_expect_success "$name: example $i: $(head -n 1 "ex/$name/$i.sh")" "
			CRM_DIR=\$TRASH/store-$name sh ex/$name/$i.sh >ex/$name/$i.got 2>&1 || :
			test_cmp ex/$name/$i.out ex/$name/$i.got
		"
		i=$((i + 1))
	done
	test_expect_success "$name: has examples" "test $n -gt 0"
}

test_done () {
	echo "1..$test_count"
	if [ "$test_failed" -eq 0 ]; then
		cd / && rm -rf "$TRASH"
		exit 0
	fi
	echo "# $test_failed of $test_count failed; trash kept in $TRASH"
	exit 1
}
