#!/bin/sh
test_description='--help and the man pages name the same options'
. "$(dirname "$0")/lib.sh"

# The options --help lists: the lines that start with an option.
help_options () {
	"$1" --help | grep '^ *-' | grep -o -- '--[a-z][a-z-]*' | sort -u
}

# The options a man page marks up (.Fl), its own.
man_options () {
	grep -o 'Fl \\-[a-z][a-z-]*' "$1" | sed 's/^Fl \\-/--/' | sort -u
}

for t in crm-add crm-log crm-due crm-segment crm-ltv; do
	test_expect_success "$t: every option in --help is in $t(1) and back" "
		help_options $t >help &&
		man_options '$TOP/man/$t.1' >man &&
		test \$(wc -l <help) -gt 8 &&
		test_cmp help man
	"
	test_expect_success "$t: --help to stdout, exit 0; --version" "
		$t --help >out 2>err && test -s out && test_must_be_empty err &&
		$t --version >out && grep '^$t (crm) [0-9]' out
	"
	test_expect_success "$t: a bad option is a usage error, exit 2" "
		test_expect_code 2 $t --no-such-option >out 2>err &&
		test_must_be_empty out &&
		grep \"^Try '$t --help' for more information.\\\$\" err
	"
done

test_done
