#!/bin/sh
test_description='a failing disk: full, read-only, no permission, write, fsync and rename failing: a clear error naming the file, exit 1, the store as it was'
. "$(dirname "$0")/lib.sh"

# The faults come from tests/faults.c, an LD_PRELOAD shim (see its
# header): CRM_FAULT=fsync:EIO:3 makes the third fsync() on a file whose
# path contains CRM_FAULT_PATH fail, and every one after it.  The store
# is called crmstore so that only its files are hit, never the test's.
#
# An ASan build must have its runtime first in LD_PRELOAD; ASan's own
# write() interceptor then calls on into the shim's.

D=$TRASH/crmstore
CRM_DIR=$D
export CRM_DIR

SHIM=$TRASH/faults.so
PRELOAD=$SHIM
asan=$(ldd "$CRM_BUILD/bin/crm-log" 2>/dev/null | awk '/libasan/ { print $3 }')
if [ -n "$asan" ]; then
	PRELOAD="$asan $SHIM"
fi

# faulty SPEC CMD...: CMD with the faults of SPEC on the store's files;
# each fault that fired is logged in $TRASH/fired.
faulty () {
	faulty_spec=$1
	shift
	CRM_FAULT=$faulty_spec CRM_FAULT_PATH=crmstore CRM_FAULT_LOG=$TRASH/fired \
		LD_PRELOAD=$PRELOAD "$@"
}

# fresh FIXTURE: the store is a new copy of $TRASH/FIXTURE.
fresh () {
	rm -rf "$D" fired &&
	cp -a "$TRASH/$1" "$D"
}

# sweep FIXTURE FUNC:ERR CMD...: CMD with FUNC failing on the store from
# its 1st call on, from its 2nd on, and so on until the fault no longer
# fires.  Each time: exit 1, nothing on stdout, one line on stderr that
# names a file of the store and ends with the error, and the store byte
# for byte as it was.  Prints the positions that went wrong.
sweep () {
	fix=$1 spec=$2
	shift 2
	prog=$1
	case $spec in
	*:EIO) why="Input/output error" ;;
	*:ENOSPC) why="No space left on device" ;;
	*) echo "sweep: unknown error in $spec" >&2; return 1 ;;
	esac
	n=1 bad=0
	while [ $n -le 30 ]; do
		fresh "$fix" || return 1
		snapshot "$D" >.before
		faulty "$spec:$n" "$@" >.stdout 2>.stderr
		rc=$?
		if ! grep -q -- " -> " fired 2>/dev/null; then
			break
		fi
		at=$(grep -- " -> " fired | head -n 1)
		snapshot "$D" >.after
		line=$(cat .stderr)
		if [ "$rc" != 1 ]; then
			echo "$spec from call $n ($at): exit $rc, want 1" >&2
			bad=1
		fi
		if [ "$(wc -l <.stderr)" != 1 ]; then
			echo "$spec from call $n ($at): want one line on stderr, got:" >&2
			cat .stderr >&2
			bad=1
		else
			case $line in
			"$prog: "*"$D"*": $why") ;;
			*)
				echo "$spec from call $n ($at): unclear message: $line" >&2
				bad=1
				;;
			esac
		fi
		if [ -s .stdout ]; then
			echo "$spec from call $n ($at): output on stdout:" >&2
			cat .stdout >&2
			bad=1
		fi
		if ! cmp -s .before .after; then
			echo "$spec from call $n ($at): the store changed ($line):" >&2
			diff .before .after >&2
			bad=1
		fi
		n=$((n + 1))
	done
	if [ $n = 1 ]; then
		echo "sweep: $spec never fired for $*" >&2
		return 1
	fi
	return $bad
}

test_expect_success 'setup: the shim, three stores (with a log, without, torn) and inputs' '
	cc -shared -fPIC -o "$SHIM" "$TOP/tests/faults.c" -ldl &&
	crm-add -d gold --name "Ivan Petrov" --company Metallurg --owner anna >/dev/null &&
	crm-add -d gold --name "Olga Ivanova" --email olga@example.com --owner anna >/dev/null &&
	crm-add -d gold --name "Tomáš Kováč" --tier key --owner boris >/dev/null &&
	cp -a gold nolog &&
	crm-log -d gold c1 call "wants a discount" --next 2026-11-27 &&
	crm-log -d gold c2 purchase --amount 1200.50 --date 2026-11-02 &&
	crm-log -d gold c3 email "sent the offer" &&
	cp -a gold torn &&
	printf "2026-11-23,c1,call,phone,,,2026-1" >>torn/log.csv &&
	printf "name,email\nPetra Nováková,petra@example.com\nPavel Novák,pavel@example.com\n" >cust-in.csv &&
	printf "date,customer,type,note\n2026-11-20,c1,call,called back\n2026-11-21,c2,email,sent terms\n" >log-in.csv &&
	fresh gold &&
	faulty write:EIO:99 crm-log c1 note "the shim is loaded" &&
	grep "^1 write .*/crmstore/log.csv$" fired
'

# write() failing: a full disk or a failing device.  An append is cut
# back to the old length; a rewrite leaves no temporary file.

test_expect_success 'write ENOSPC: crm-log append' '
	fresh gold &&
	test_fails_cleanly 1 "crm-log: cannot write $D/log.csv: No space left on device" \
		faulty write:ENOSPC crm-log c1 call "no answer"
'

test_expect_success 'write ENOSPC: crm-log append to a new log leaves no log' '
	fresh nolog &&
	test_fails_cleanly 1 "crm-log: cannot write $D/log.csv: No space left on device" \
		faulty write:ENOSPC crm-log c1 call "no answer" &&
	! test -e "$D/log.csv"
'

test_expect_success 'write ENOSPC: crm-log --import' '
	fresh gold &&
	test_fails_cleanly 1 "crm-log: cannot write $D/log.csv: No space left on device" \
		faulty write:ENOSPC crm-log --import log-in.csv
'

test_expect_success 'write ENOSPC after a short write: crm-log --import is cut back' '
	fresh gold &&
	test_fails_cleanly 1 "crm-log: cannot write $D/log.csv: No space left on device" \
		faulty write:ENOSPC:2,write:short crm-log --import log-in.csv &&
	grep "1 write .*log.csv -> short" fired
'

test_expect_success 'write ENOSPC: crm-add (add)' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: No space left on device" \
		faulty write:ENOSPC crm-add --name "Petra Nováková"
'

test_expect_success 'write ENOSPC: crm-add --update' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: No space left on device" \
		faulty write:ENOSPC crm-add --update c1 --tier vip
'

test_expect_success 'write ENOSPC: crm-add --import' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: No space left on device" \
		faulty write:ENOSPC crm-add --import cust-in.csv
'

test_expect_success 'write ENOSPC: crm-add --reassign, the log append fails' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/log.csv: No space left on device" \
		faulty write:ENOSPC crm-add --reassign anna --to boris
'

test_expect_success 'write ENOSPC: crm-add --reassign, the rewrite fails: the reassign events are cut back' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: No space left on device" \
		faulty write:ENOSPC:2 crm-add --reassign anna --to boris &&
	grep "^1 write .*/log.csv$" fired &&
	grep "^2 write .*/\.customers\.csv\..* -> No space" fired
'

test_expect_success 'write ENOSPC: crm-add --reassign on a store without a log leaves no log' '
	fresh nolog &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: No space left on device" \
		faulty write:ENOSPC:2 crm-add --reassign anna --to boris &&
	! test -e "$D/log.csv"
'

test_expect_success 'write ENOSPC: crm-add --update --owner (a reassign event) is cut back' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: No space left on device" \
		faulty write:ENOSPC:2 crm-add --update c3 --owner anna
'

test_expect_success 'write ENOSPC: crm-log --repair keeps the fragment in the log' '
	fresh torn &&
	test_fails_cleanly 1 "crm-log: cannot repair $D/log.csv: No space left on device" \
		faulty write:ENOSPC crm-log --repair
'

# fsync() failing: the data may not be on the disk, so the write did
# not happen.  Every fsync() in turn of each way of writing: an append
# (crm-log, also --import), a rewrite (crm-add, also --import and
# --update), both (--reassign, --update --owner), and --repair.

test_expect_success 'fsync EIO on the log: crm-log append (exact message)' '
	fresh gold &&
	test_fails_cleanly 1 "crm-log: cannot write $D/log.csv: Input/output error" \
		faulty fsync:EIO crm-log c1 call "no answer"
'

test_expect_success 'fsync EIO on the new customers.csv: crm-add (exact message)' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: Input/output error" \
		faulty fsync:EIO crm-add --name "Petra Nováková"
'

test_expect_success 'fsync EIO, every call in turn: crm-log append' '
	sweep gold fsync:EIO crm-log c1 call "no answer" &&
	sweep nolog fsync:EIO crm-log c1 call "no answer"
'

test_expect_success 'fsync EIO, every call in turn: crm-add --update' '
	sweep gold fsync:EIO crm-add --update c1 --tier vip
'

test_expect_success 'fsync EIO, every call in turn: crm-add --update --owner' '
	sweep gold fsync:EIO crm-add --update c3 --owner anna
'

test_expect_success 'fsync EIO, every call in turn: crm-add --reassign' '
	sweep gold fsync:EIO crm-add --reassign anna --to boris &&
	sweep nolog fsync:EIO crm-add --reassign anna --to boris
'

test_expect_success 'fsync EIO, every call in turn: crm-log --repair' '
	sweep torn fsync:EIO crm-log --repair
'

# rename() failing: customers.csv stays as it was, the temporary file
# goes, and what was appended to the log for the change is cut back.

test_expect_success 'rename EIO: crm-add (add)' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: Input/output error" \
		faulty rename:EIO crm-add --name "Petra Nováková"
'

test_expect_success 'rename EIO: crm-add --update' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: Input/output error" \
		faulty rename:EIO crm-add --update c1 --tier vip
'

test_expect_success 'rename EIO: crm-add --import' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: Input/output error" \
		faulty rename:EIO crm-add --import cust-in.csv
'

test_expect_success 'rename EIO: crm-add --reassign cuts its events out of the log again' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: Input/output error" \
		faulty rename:EIO crm-add --reassign anna --to boris &&
	fresh nolog &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: Input/output error" \
		faulty rename:EIO crm-add --reassign anna --to boris
'

test_expect_success 'rename EIO: crm-add --update --owner cuts its event out of the log again' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write $D/customers.csv: Input/output error" \
		faulty rename:EIO crm-add --update c3 --owner anna
'

test_expect_success 'mkstemp ENOSPC (no inode for the temporary file): crm-add' '
	fresh gold &&
	test_fails_cleanly 1 "crm-add: cannot write to the store $D: No space left on device" \
		faulty mkstemp:ENOSPC crm-add --update c1 --tier vip
'

test_expect_success 'ftruncate EIO: crm-log --repair leaves the log and no torn file' '
	fresh torn &&
	test_fails_cleanly 1 "crm-log: cannot repair $D/log.csv: Input/output error" \
		faulty ftruncate:EIO crm-log --repair
'

# A failed close() after a successful fsync() is rare (NFS), but the
# tool must not report a write that is there as failed: a user who
# retries then has the event twice.
test_expect_success 'close EIO on the log: failed and not there, or done and there once' '
	fresh gold &&
	snapshot "$D" >before &&
	rc=0 &&
	faulty close:EIO crm-log c1 call "no answer" 2>err || rc=$? &&
	if [ $rc = 0 ]; then
		crm-log --list --customer c1 --type call >out &&
		test $(grep -c ",no answer\$" out) = 1
	else
		test $rc = 1 &&
		echo "crm-log: cannot write $D/log.csv: Input/output error" >expect &&
		test_cmp expect err &&
		snapshot "$D" >after &&
		test_cmp before after
	fi
'

test_expect_success 'flock ENOLCK: a writer that cannot lock writes nothing' '
	fresh gold &&
	test_fails_cleanly 1 "crm-log: cannot lock $D/.lock: No locks available" \
		faulty flock:ENOLCK crm-log c1 call
'

# A real full file system: a small tmpfs, when this runs as root and may
# mount; else the shim says ENOSPC at every write.  The log is padded to
# a page boundary first, so that even a short append needs a new page.
FULL=$TRASH/fullfs
if [ "$(id -u)" = 0 ] && mkdir "$FULL" &&
	mount -t tmpfs -o size=256k,mode=0700 tmpfs "$FULL" 2>/dev/null; then
	trap 'umount "$FULL" 2>/dev/null' EXIT
	full_how="a real full tmpfs"
	full () { "$@"; }
else
	rmdir "$FULL" 2>/dev/null
	full_how="simulated: write ENOSPC by the shim, cannot mount a tmpfs here"
	mkdir -p "$FULL"
	full () { CRM_FAULT=write:ENOSPC CRM_FAULT_PATH=fullfs LD_PRELOAD=$PRELOAD "$@"; }
fi
F=$FULL/crmstore

test_expect_success "full disk ($full_how): setup" '
	cp -a gold "$F" &&
	cp -a torn "$FULL/torn" &&
	page=$(getconf PAGESIZE) &&
	s=$(stat -c %s "$F/log.csv") &&
	crm-log -d "$F" c1 note &&
	rec=$(($(stat -c %s "$F/log.csv") - s)) &&
	s=$(stat -c %s "$F/log.csv") &&
	pad=$(( (page - (s + rec) % page) % page )) &&
	crm-log -d "$F" c1 note "$(printf "%${pad}s" "" | tr " " x)" &&
	test $(( $(stat -c %s "$F/log.csv") % page )) = 0 &&
	if [ "$full_how" = "a real full tmpfs" ]; then
		test_expect_code 1 dd if=/dev/zero of="$FULL/filler" bs=4096 2>/dev/null &&
		test "$(df -P "$FULL" | awk "NR == 2 { print \$4 }")" = 0
	fi
'

test_expect_success "full disk ($full_how): crm-log append" '
	CRM_DIR=$F test_fails_cleanly 1 "crm-log: cannot write $F/log.csv: No space left on device" \
		full crm-log c1 call "no answer"
'

test_expect_success "full disk ($full_how): crm-log --import" '
	CRM_DIR=$F test_fails_cleanly 1 "crm-log: cannot write $F/log.csv: No space left on device" \
		full crm-log --import log-in.csv
'

test_expect_success "full disk ($full_how): crm-add (add)" '
	CRM_DIR=$F test_fails_cleanly 1 "crm-add: cannot write $F/customers.csv: No space left on device" \
		full crm-add --name "Petra Nováková"
'

test_expect_success "full disk ($full_how): crm-add --update" '
	CRM_DIR=$F test_fails_cleanly 1 "crm-add: cannot write $F/customers.csv: No space left on device" \
		full crm-add --update c1 --tier vip
'

test_expect_success "full disk ($full_how): crm-add --import" '
	CRM_DIR=$F test_fails_cleanly 1 "crm-add: cannot write $F/customers.csv: No space left on device" \
		full crm-add --import cust-in.csv
'

test_expect_success "full disk ($full_how): crm-add --reassign" '
	CRM_DIR=$F test_fails_cleanly 1 "crm-add: cannot write $F/log.csv: No space left on device" \
		full crm-add --reassign anna --to boris
'

test_expect_success "full disk ($full_how): crm-log --repair" '
	CRM_DIR=$FULL/torn test_fails_cleanly 1 "crm-log: cannot repair $FULL/torn/log.csv: No space left on device" \
		full crm-log --repair
'

test_expect_success "full disk ($full_how): readers still work" '
	crm-log -d "$F" --list >out &&
	test $(wc -l <out) = 6 &&
	crm-add -d "$F" --list >out &&
	test $(wc -l <out) = 4 &&
	crm-due -d "$F" --agenda >/dev/null
'

test_expect_success "full disk ($full_how): cleanup" '
	if [ "$full_how" = "a real full tmpfs" ]; then
		umount "$FULL"
	fi &&
	rm -rf "$FULL"
'

# Without write permission.  File modes do not stop root: as root the
# commands run as nobody (setpriv), on a store that nobody owns.
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		who="as nobody"
		as_user () { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
		own () { chown -R nobody:"$(id -g nobody)" "$@"; }
		chmod 711 "$TRASH"
	else
		who=
	fi
else
	who="as $(id -un)"
	as_user () { "$@"; }
	own () { :; }
fi

# denied FIXTURE SETUP CODE MESSAGE CMD...: in a fresh store, SETUP (a
# chmod) and CMD run as the user; CMD fails with MESSAGE and the store,
# its modes put back, is as it was.  test_fails_cleanly cannot be used
# when the user cannot read the store to take its snapshot.
denied () {
	fix=$1 setup=$2 code=$3 msg=$4
	shift 4
	fresh "$fix" && own "$D" && snapshot "$D" >.before &&
	eval "$setup" &&
	test_expect_code "$code" as_user "$@" >.stdout 2>.stderr
	rc=$?
	chmod -R u=rwX,go= "$D"
	test $rc = 0 || return 1
	printf "%s\n" "$msg" >.expect &&
	test_cmp .expect .stderr &&
	test_must_be_empty .stdout &&
	snapshot "$D" >.after &&
	test_cmp .before .after
}

skip () {
	test_count=$((test_count + 1))
	echo "ok $test_count # skip $1"
}

if [ -n "$who" ]; then
	test_expect_success "read-only store ($who, chmod -R a-w): every writer fails, naming the store" '
		for cmd in "crm-log c1 call" "crm-log --import log-in.csv" \
			"crm-add --name Petra" "crm-add --update c1 --tier vip" \
			"crm-add --import cust-in.csv" "crm-add --reassign anna --to boris"; do
			prog=${cmd%% *} &&
			denied gold "chmod -R a-w \"\$D\"" 1 \
				"$prog: cannot write to the store $D: Permission denied" $cmd ||
			exit 1
		done &&
		denied torn "chmod -R a-w \"\$D\"" 1 \
			"crm-log: cannot write to the store $D: Permission denied" crm-log --repair
	'

	test_expect_success "read-only store ($who): readers still work" '
		fresh gold && own "$D" && chmod -R a-w "$D" &&
		as_user crm-log --list >out 2>err &&
		test $(wc -l <out) = 4 &&
		as_user crm-add --list >>out 2>>err &&
		as_user crm-due --agenda >>out 2>>err &&
		as_user crm-ltv >>out 2>>err &&
		test_must_be_empty err &&
		chmod -R u+w "$D"
	'

	test_expect_success "log.csv read-only ($who): the appenders fail, naming the log" '
		denied gold "chmod 400 \"\$D/log.csv\"" 1 \
			"crm-log: $D/log.csv: Permission denied" crm-log c1 call &&
		denied gold "chmod 400 \"\$D/log.csv\"" 1 \
			"crm-add: $D/log.csv: Permission denied" crm-add --reassign anna --to boris &&
		denied torn "chmod 400 \"\$D/log.csv\"" 1 \
			"crm-log: cannot repair $D/log.csv: Permission denied" crm-log --repair
	'

	test_expect_success "store directory read-only ($who): a rewrite fails, naming the store" '
		denied gold "chmod 500 \"\$D\"" 1 \
			"crm-add: cannot write to the store $D: Permission denied" crm-add --update c1 --tier vip &&
		denied gold "chmod 500 \"\$D\"" 1 \
			"crm-add: cannot write to the store $D: Permission denied" crm-add --reassign anna --to boris
	'

	test_expect_success "customers.csv unreadable ($who): every tool fails, naming it" '
		for cmd in "crm-log c1 call" "crm-log --list" "crm-add --update c1 --tier vip" \
			"crm-due"; do
			prog=${cmd%% *} &&
			denied gold "chmod 000 \"\$D/customers.csv\"" 1 \
				"$prog: $D/customers.csv: Permission denied" $cmd ||
			exit 1
		done
	'

	test_expect_success "log.csv unreadable ($who): readers and writers fail, naming it" '
		for cmd in "crm-log c1 call" "crm-log --list" "crm-due"; do
			prog=${cmd%% *} &&
			denied gold "chmod 000 \"\$D/log.csv\"" 1 \
				"$prog: $D/log.csv: Permission denied" $cmd ||
			exit 1
		done
	'
else
	skip "read-only store and no permission: root without setpriv or a user nobody cannot drop root"
fi

# A read-only mount stops root too.
RO=$TRASH/romnt
if [ "$(id -u)" = 0 ] && mkdir "$RO" && cp -a gold "$RO/crmstore" &&
	mount --bind "$RO" "$RO" 2>/dev/null; then
	if mount -o remount,bind,ro "$RO" 2>/dev/null; then
		ro_ok=1
	else
		umount "$RO"
		ro_ok=
	fi
else
	ro_ok=
fi
if [ -n "$ro_ok" ]; then
	trap 'umount "$FULL" 2>/dev/null; umount "$RO" 2>/dev/null' EXIT
	test_expect_success 'read-only bind mount (root): an append, a rewrite and a repair fail with EROFS, naming the store' '
		for cmd in "crm-log c1 call" "crm-log --repair" "crm-add --update c1 --tier vip"; do
			prog=${cmd%% *} &&
			CRM_DIR=$RO/crmstore test_fails_cleanly 1 \
				"$prog: cannot write to the store $RO/crmstore: Read-only file system" $cmd ||
			exit 1
		done
	'

	test_expect_success 'read-only bind mount (root): readers work' '
		crm-log -d "$RO/crmstore" --list >out 2>err &&
		test $(wc -l <out) = 4 &&
		crm-due -d "$RO/crmstore" --agenda >/dev/null 2>>err &&
		test_must_be_empty err
	'

	test_expect_success 'read-only bind mount: cleanup' '
		umount "$RO" &&
		rm -rf "$RO"
	'
else
	skip "read-only bind mount: needs root and mount (the chmod cases above cover a read-only store)"
fi

# Standard output on a full disk.
test_expect_success 'crm-log --list >/dev/full: exit 1, write error' '
	fresh gold &&
	test_expect_code 1 crm-log --list >/dev/full 2>err &&
	echo "crm-log: write error: No space left on device" >expect &&
	test_cmp expect err
'

test_expect_success 'crm-log --list >/dev/full with more than a buffer of output' '
	fresh gold &&
	i=0 &&
	while [ $i -lt 300 ]; do
		echo "2026-11-$((10 + i % 10)),c$((1 + i % 3)),note,,,,,,,tester,event $i of a long log" &&
		i=$((i + 1)) || exit 1
	done >>"$D/log.csv" &&
	test_expect_code 1 crm-log --list >/dev/full 2>err &&
	echo "crm-log: write error: No space left on device" >expect &&
	test_cmp expect err &&
	test_expect_code 1 crm-log --list --json >/dev/full 2>err &&
	test_cmp expect err
'

test_expect_success 'the other readers >/dev/full: exit 1, write error' '
	fresh gold &&
	for cmd in "crm-log --history c1" "crm-log --history c1 --json" "crm-add --list" \
		"crm-due --agenda" "crm-due --ics" "crm-ltv"; do
		prog=${cmd%% *} &&
		test_expect_code 1 $cmd >/dev/full 2>err &&
		echo "$prog: write error: No space left on device" >expect &&
		test_cmp expect err || exit 1
	done
'

test_done
