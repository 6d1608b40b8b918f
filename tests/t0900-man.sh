#!/bin/sh
test_description='man pages: mandoc -Tlint clean, EXAMPLES run as written'
. "$(dirname "$0")/lib.sh"

for page in "$TOP"/man/*.[1-9]; do
	name=$(basename "$page")

	test_expect_success "$name: mandoc -Tlint" "
		mandoc -Tlint -W warning '$page'
	"

	# Each page's examples run in order in a store of their own, as a
	# reader would type them; what they print must be what the page says.
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
done

test_done
