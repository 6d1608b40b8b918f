#!/bin/sh
test_description='make install and make uninstall into a DESTDIR'
. "$(dirname "$0")/lib.sh"

dest=$TRASH/dest
tools="crm-add crm-log crm-due crm-segment crm-ltv"

test_expect_success 'make install PREFIX=/usr/local DESTDIR=...' '
	make -s -C "$TOP" O="$CRM_BUILD" install PREFIX=/usr/local DESTDIR="$dest" >out 2>&1 ||
	{ cat out; false; }
'

for t in $tools; do
	test_expect_success "$t is installed and runs" "
		test -x '$dest/usr/local/bin/$t' &&
		'$dest/usr/local/bin/$t' --version >out &&
		grep '^$t (crm) ' out
	"
	test_expect_success "man -l shows $t(1)" "
		man -l '$dest/usr/local/share/man/man1/$t.1' >page 2>err &&
		grep -i 'NAME' page && grep '$t' page
	"
	test_expect_success "the bash completion for $t" "
		test -f '$dest/usr/local/share/bash-completion/completions/$t'
	"
done

test_expect_success 'man -l shows crm(7)' '
	man -l "$dest/usr/local/share/man/man7/crm.7" >page &&
	grep "THE STORE" page
'

test_expect_success 'the zsh completion' '
	head -n 1 "$dest/usr/local/share/zsh/site-functions/_crm" >first &&
	echo "#compdef crm-add crm-log crm-due crm-segment crm-ltv" >expect &&
	test_cmp expect first
'

test_expect_success 'make uninstall removes every file it installed' '
	make -s -C "$TOP" O="$CRM_BUILD" uninstall PREFIX=/usr/local DESTDIR="$dest" &&
	find "$dest" -type f >left &&
	test_must_be_empty left
'

test_done
