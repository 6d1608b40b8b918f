#!/bin/sh
test_description='the fuzz targets over their seed corpus and every input that once crashed them'
. "$(dirname "$0")/lib.sh"

for t in csv json date money; do
	test_expect_success "fuzz target $t: corpus and regressions replay cleanly" "
		'$CRM_BUILD/tests/fuzz/replay_$t' '$TOP/tests/fuzz/corpus/$t' \
			'$TOP/tests/fuzz/regress/$t' >out &&
		test \$(grep -c '^ok' out) -ge 5 &&
		! grep '^not ok' out
	"
done

test_done
