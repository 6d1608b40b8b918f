#!/bin/sh
test_description='man pages: mandoc -Tlint clean, EXAMPLES run as written'
. "$(dirname "$0")/lib.sh"

for page in "$TOP"/man/*.[1-9]; do
	test_expect_success "$(basename "$page"): mandoc -Tlint" "
		mandoc -Tlint -W warning '$page'
	"
	man_examples "$page"
done

test_done
