#!/bin/sh
test_description='the man page examples under valgrind memcheck: no error, no leak'
. "$(dirname "$0")/lib.sh"

# valgrind cannot run binaries built with AddressSanitizer; the plain
# pass of make check has run these already.
bin=$CRM_BUILD/bin
if nm "$bin/crm-add" 2>/dev/null | grep -q __asan_init; then
	echo "1..0 # SKIP valgrind runs in the plain pass, not under ASan"
	cd / && rm -rf "$TRASH"
	exit 0
fi

# Each tool on PATH runs under valgrind, quietly: any error or leak it
# reports lands in the output and fails the comparison, and the exit
# status 99 marks it.
mkdir wrap
for t in crm-add crm-log crm-due crm-segment crm-ltv; do
	cat >wrap/$t <<-EOF
	#!/bin/sh
	exec valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		$bin/$t "\$@"
	EOF
	chmod +x wrap/$t
done
PATH=$TRASH/wrap:$PATH

test_expect_success 'the tools run under valgrind' '
	crm-add --version >out && grep "crm-add (crm)" out
'

for page in "$TOP"/man/*.[1-9]; do
	man_examples "$page"
done

test_done
