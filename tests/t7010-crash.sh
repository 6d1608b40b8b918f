#!/bin/sh
test_description='crashes: writers killed at random moments, torn records detected, refused and moved aside, leftover temporary files removed'
. "$(dirname "$0")/lib.sh"

# A crash is a SIGKILL: at random moments by a harness, and at chosen
# ones by the LD_PRELOAD shim tests/faults.c ("write:tear" writes part
# of a buffer and then kills the process; "rename:kill" kills it just
# before the rename).  A single small write() is rarely cut short by a
# signal, so torn records are also made by hand with printf.

D=$TRASH/store
CRM_DIR=$D
export CRM_DIR

SHIM=$TRASH/faults.so
PRELOAD=$SHIM
asan=$(ldd "$CRM_BUILD/bin/crm-log" 2>/dev/null | awk '/libasan/ { print $3 }')
if [ -n "$asan" ]; then
	PRELOAD="$asan $SHIM"
fi
export PRELOAD

# crash SPEC CMD...: CMD with the shim's SPEC on the store's files; it
# must die by SIGKILL.
crash () {
	crash_spec=$1
	shift
	CRM_FAULT=$crash_spec CRM_FAULT_PATH=${CRASH_PATH:-/store/} \
		LD_PRELOAD=$PRELOAD "$@"
	crash_rc=$?
	if [ $crash_rc != 137 ]; then
		echo "want death by SIGKILL (137), got $crash_rc: $*" >&2
		return 1
	fi
}

# torn_msg PROG LINE: what every reader says about a torn record.
torn_msg () {
	echo "$1: $D/log.csv:$2: incomplete last record (cut short by a crash?); 'crm-log --repair' moves it aside"
}

refused_msg () {
	echo "$1: $D/log.csv ends with an incomplete record (cut short by a crash?); run 'crm-log --repair' first"
}

# crm-segment reads the log too, where it is built.
SEGMENT=
if [ -x "$CRM_BUILD/bin/crm-segment" ]; then
	SEGMENT=yes
fi

# readers_see_torn LINE: every tool that reads the log stops at the torn
# record, naming it, with exit 1.
readers_see_torn () {
	for r in "crm-log --list" "crm-log --history c1" "crm-due" "crm-due --agenda" \
		"crm-due --ics" "crm-ltv" ${SEGMENT:+"crm-segment --rfm"}; do
		prog=${r%% *}
		test_expect_code 1 $r >/dev/null 2>.err || return 1
		torn_msg "$prog" "$1" >.exp
		test_cmp .exp .err || return 1
	done
}

# appends_refused: every writer that appends to the log refuses, with
# the store as it was.
appends_refused () {
	test_fails_cleanly 1 "$(refused_msg crm-log)" crm-log c1 call "not now" &&
	test_fails_cleanly 1 "$(refused_msg crm-log)" crm-log --import log-in.csv &&
	test_fails_cleanly 1 "$(refused_msg crm-add)" crm-add --reassign anna --to boris &&
	test_fails_cleanly 1 "$(refused_msg crm-add)" crm-add --update c3 --owner anna
}

# repaired N LINE GOOD FRAGMENT: crm-log --repair moves exactly the bytes
# of FRAGMENT into log.csv.torn-N, mode 0600, and leaves the log as GOOD.
repaired () {
	crm-log --repair >.out 2>.err &&
	test_must_be_empty .out &&
	echo "crm-log: $D/log.csv:$2: moved the incomplete last record to $D/log.csv.torn-$1" >.exp &&
	test_cmp .exp .err &&
	cmp "$4" "$D/log.csv.torn-$1" &&
	cmp "$3" "$D/log.csv" &&
	test "$(stat -c %a "$D/log.csv.torn-$1")" = 600
}

test_expect_success 'setup: the shim, a store, inputs' '
	cc -shared -fPIC -o "$SHIM" "$TOP/tests/faults.c" -ldl &&
	crm-add --name "Ivan Petrov" --company Metallurg --owner anna >/dev/null &&
	crm-add --name "Olga Ivanova" --owner anna >/dev/null &&
	crm-add --name "Tomáš Kováč" --tier key --owner boris >/dev/null &&
	crm-log c1 call "wants a discount" --next 2026-11-27 &&
	crm-log c2 purchase --amount 1200.50 --date 2026-11-02 &&
	printf "date,customer,type,note\n2026-11-20,c1,call,called back\n2026-11-21,c2,email,sent terms\n" >log-in.csv &&
	cp -a "$D" clean
'

test_expect_success 'a torn last record (printf): every reader reports it with its line number' '
	cp "$D/log.csv" good &&
	printf "2026-11-23,c3,call,phone,,reached,2026-12-0" >frag &&
	cat frag >>"$D/log.csv" &&
	readers_see_torn 4
'

test_expect_success 'a torn last record: every append is refused, the store unchanged' '
	appends_refused
'

test_expect_success 'a torn last record: rewrites that append nothing still work' '
	crm-add --update c1 --tier vip >/dev/null &&
	crm-add --name "Petra Nováková" >/dev/null &&
	cat good frag | cmp - "$D/log.csv"
'

test_expect_success 'crm-log --repair moves exactly the fragment into log.csv.torn-1' '
	repaired 1 4 good frag &&
	crm-log --list >out &&
	test $(wc -l <out) = 3
'

test_expect_success 'after the repair appends work, and a second repair does nothing' '
	crm-log c3 call "reached" &&
	crm-log --repair >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	! test -e "$D/log.csv.torn-2" &&
	crm-log --list >out &&
	test $(wc -l <out) = 4
'

test_expect_success 'a second torn record goes to log.csv.torn-2, torn-1 is kept' '
	cp "$D/log.csv.torn-1" torn1 &&
	cp "$D/log.csv" good &&
	printf "2026-11-23,c1,note,,,,,,,tester,\"half a quoted no" >frag &&
	cat frag >>"$D/log.csv" &&
	readers_see_torn 5 &&
	repaired 2 5 good frag &&
	cmp torn1 "$D/log.csv.torn-1"
'

test_expect_success 'a torn header: readers say line 1, --repair, then a new header' '
	rm -f "$D"/log.csv* &&
	printf "date,customer,ty" >frag &&
	cp frag "$D/log.csv" &&
	chmod 600 "$D/log.csv" &&
	readers_see_torn 1 &&
	test_fails_cleanly 1 "$(torn_msg crm-log 1)" crm-log c1 call &&
	: >good &&
	repaired 1 1 good frag &&
	crm-log c1 call "after the repair" &&
	crm-log --list >out &&
	head -n 1 out >hdr &&
	echo "date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note" >expect &&
	test_cmp expect hdr &&
	test $(wc -l <out) = 2
'

# A note may span lines.  A crash just after a line break inside the
# quoted note leaves a log whose last byte is a line end, but whose last
# record is still open.
test_expect_success 'a record torn just after a line break in a quoted note is torn too' '
	cp "$TRASH/clean/log.csv" good &&
	printf "2026-11-23,c1,note,,,,,,,tester,\"first line of the note\n" >frag &&
	cp -a clean quoted &&
	cat frag >>quoted/log.csv &&
	rm -rf "$D" && cp -a quoted "$D" &&
	readers_see_torn 4
'

test_expect_success 'torn after a line break in a quoted note: appends are refused' '
	rm -rf "$D" && cp -a quoted "$D" &&
	appends_refused &&
	test_fails_cleanly 1 "$(refused_msg crm-log)" crm-log c1 call "said \"hello\", then left"
'

test_expect_success 'torn after a line break in a quoted note: --repair moves exactly the fragment' '
	rm -rf "$D" && cp -a quoted "$D" &&
	repaired 1 4 good frag &&
	crm-log c1 note "$(printf "two\nlines")" &&
	crm-log --list --json >out &&
	test $(wc -l <out) = 3
'

# Crashes made by the shim.

test_expect_success 'killed in the middle of an append (write:tear): the fragment is the first K bytes of the record' '
	rm -rf "$D" && cp -a clean "$D" &&
	cp "$D/log.csv" good &&
	CRM_FAULT_BYTES=23 crash write:tear crm-log c3 call "reached at last" --outcome ok &&
	test $(stat -c %s "$D/log.csv") = $(($(stat -c %s good) + 23)) &&
	tail -c 23 "$D/log.csv" >frag &&
	readers_see_torn 4 &&
	appends_refused &&
	repaired 1 4 good frag &&
	crm-log c3 call "reached at last" --outcome ok &&
	tail -n 1 "$D/log.csv" >record &&
	head -c 23 record | cmp frag -
'

test_expect_success 'killed in the middle of a two-line note, just after its line break (write:tear)' '
	rm -rf "$D" && cp -a clean "$D" &&
	cp "$D/log.csv" good &&
	note=$(printf "line one\nline two") &&
	crm-log c1 note "$note" &&
	rec=$(($(stat -c %s "$D/log.csv") - $(stat -c %s good))) &&
	tail -c $rec "$D/log.csv" >record &&
	cp good "$D/log.csv" &&
	k=$(($(grep -b -o "line one" record | cut -d: -f1) + 9)) &&
	CRM_FAULT_BYTES=$k crash write:tear crm-log c1 note "$note" &&
	head -c $k record >frag &&
	tail -c $k "$D/log.csv" | cmp frag - &&
	test "$(tail -c 1 frag | od -An -c | tr -d " ")" = "\\n" &&
	readers_see_torn 4 &&
	appends_refused &&
	repaired 1 4 good frag
'

# An import is "all or nothing, in a single write" (crm-log(1)).  A
# write that a crash cuts short after whole records must not leave them
# in the log as if the import had happened.
test_expect_success 'killed in the middle of an --import: after --repair none of it is in the log' '
	rm -rf "$D" && cp -a clean "$D" &&
	cp "$D/log.csv" good &&
	printf "date,customer,type,note\n2026-11-20,c1,call,first\n2026-11-21,c2,email,second\n2026-11-22,c3,visit,third\n" >imp.csv &&
	CRM_FAULT_BYTES=70 crash write:tear crm-log --import imp.csv &&
	tail -c +$(($(stat -c %s good) + 1)) "$D/log.csv" >frag &&
	test $(wc -c <frag) = 70 &&
	# The append began on line 4: the whole of it is the torn record,
	# though its first row happens to be complete.
	readers_see_torn 4 &&
	crm-log --repair 2>err &&
	cmp good "$D/log.csv" &&
	cmp frag "$D/log.csv.torn-1"
'

test_expect_success 'killed just before the rename (rename:kill): customers.csv as it was, a temporary file left' '
	rm -rf "$D" && cp -a clean "$D" &&
	cp "$D/customers.csv" before &&
	crash rename:kill crm-add --update c1 --tier vip &&
	cmp before "$D/customers.csv" &&
	ls -A "$D" | grep "^\.customers\.csv\.......$" >temps &&
	test $(wc -l <temps) = 1
'

test_expect_success 'readers neither mind nor remove the leftover temporary file' '
	crm-add --list >out &&
	test $(wc -l <out) = 4 &&
	crm-log --list >/dev/null &&
	crm-due --within 7d >/dev/null &&
	test -e "$D/$(cat temps)"
'

test_expect_success 'the next writer (an append) removes the leftover temporary file, and only it' '
	: >"$D/.customers.csv.keep" &&
	: >"$D/customers.csv.bak" &&
	: >"$D/.customers.csv.ABCDEFG" &&
	crm-log c1 call "after the crash" &&
	! test -e "$D/$(cat temps)" &&
	test -e "$D/.customers.csv.keep" &&
	test -e "$D/customers.csv.bak" &&
	test -e "$D/.customers.csv.ABCDEFG" &&
	rm "$D/.customers.csv.keep" "$D/customers.csv.bak" "$D/.customers.csv.ABCDEFG"
'

test_expect_success 'killed while writing the temporary file (write:tear): the next rewrite removes it' '
	cp "$D/customers.csv" before &&
	CRASH_PATH=/.customers.csv. crash write:tear crm-add --update c1 --tier vip &&
	cmp before "$D/customers.csv" &&
	test $(ls -A "$D" | grep -c "^\.customers\.csv\.......$") = 1 &&
	crm-add --update c1 --tier vip >/dev/null &&
	test $(ls -A "$D" | grep -c "^\.customers\.csv\.") = 0 &&
	crm-add --list | grep "^c1,Ivan Petrov,.*,vip,"
'

test_expect_success 'killed between the reassign events and the rewrite: the log keeps the intent, all parses' '
	rm -rf "$D" && cp -a clean "$D" &&
	cp "$D/customers.csv" before &&
	crash rename:kill crm-add --reassign anna --to boris &&
	cmp before "$D/customers.csv" &&
	crm-log --list --type reassign >out &&
	test $(wc -l <out) = 3 &&
	crm-add --reassign anna --to boris >/dev/null &&
	test $(ls -A "$D" | grep -c "^\.customers\.csv\.") = 0 &&
	crm-add --list --owner boris >out &&
	test $(wc -l <out) = 4
'

# The harness: 1,000 appends and 200 rewrites, four writers at a time,
# a third of them killed at a random moment of their run; now and then
# an append is torn on purpose (write:tear) and a rewrite killed before
# its rename.  After every round it checks what every writer reported
# against the store, repairs a torn log (checking the message, the
# refusal and the fragment's bytes) and checks that leftover temporary
# files went with the next writer.
cat >crash.py <<\EOF
import csv, io, os, random, re, signal, subprocess, sys, time

store = os.environ['CRM_DIR']
log_path = os.path.join(store, 'log.csv')
cust_path = os.path.join(store, 'customers.csv')
n_app, n_rew = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(int(os.environ.get('CRASH_SEED', '7010')))
PAR = 4
HEADER = ['date', 'customer', 'type', 'channel', 'amount', 'outcome', 'next',
          'next_action', 'assignee', 'by', 'note']
errors = []
stats = dict(ok=0, killed=0, refused=0, torn=0, temps=0, tears=0)


def fail(msg):
    errors.append(msg)
    print('# ' + msg)
    if len(errors) > 20:
        finish()


def finish():
    print('# %s' % ' '.join('%s=%d' % kv for kv in sorted(stats.items())))
    sys.exit(1 if errors else 0)


def rows(path):
    """Every row of a CSV file, or an error: the file must parse."""
    with open(path, 'rb') as f:
        data = f.read()
    if data and not data.endswith(b'\n'):
        raise ValueError('%s does not end with a line end' % path)
    return list(csv.reader(io.StringIO(data.decode('utf-8'), newline=''),
                           strict=True))


def value_r():
    rs = rows(cust_path)
    col = rs[0].index('r') if 'r' in rs[0] else None
    for r in rs[1:]:
        if r[0] == 'c2':
            return r[col] if col is not None else ''
    raise ValueError('c2 is gone')


def temps():
    return {n for n in os.listdir(store)
            if n.startswith('.customers.csv.') and len(n) == 21}


def run(args, env=None):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env)


def tear_env(k):
    e = dict(os.environ)
    e.update(CRM_FAULT='write:tear', CRM_FAULT_PATH='/log.csv',
             CRM_FAULT_BYTES=str(k), LD_PRELOAD=os.environ['PRELOAD'])
    return e


def kill_env():
    e = dict(os.environ)
    e.update(CRM_FAULT='rename:kill', CRM_FAULT_PATH='/.customers.csv.',
             LD_PRELOAD=os.environ['PRELOAD'])
    return e


def record(marker):
    return ('2026-11-23,c1,note,,,,,,,tester,%s\n' % marker).encode()


# How long a writer runs, so that kills land inside runs.
t = []
for i in range(3):
    t0 = time.time()
    run(['crm-log', 'c1', 'note', 'calibration-%d' % i])
    t.append(time.time() - t0)
span = sorted(t)[1] * 1.5

jobs = ['a'] * n_app + ['r'] * n_rew
rng.shuffle(jobs)
rounds = []
cur = []
for j in jobs:
    if len(cur) == PAR or (j == 'r' and 'r' in cur):
        rounds.append(cur)
        cur = []
    cur.append(j)
rounds.append(cur)

outcome = {}      # marker -> 'ok' | 'killed' | 'refused'
round_of = {}     # marker -> its round: the rounds are in order
fragments = {}    # torn-N -> bytes
n_torn = 0
seq = 0
r_now = value_r()
prev_temps = set()

for rnd, kinds in enumerate(rounds):
    procs = []
    for kind in kinds:
        seq += 1
        if kind == 'a':
            marker = 'm%04d' % seq
            env, tear = None, 0
            if rng.random() < 0.03:
                tear = rng.randrange(1, len(record(marker)) - 1)
                env = tear_env(tear)
                stats['tears'] += 1
            p = subprocess.Popen(['crm-log', 'c1', 'note', marker], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            procs.append((p, 'a', marker, tear))
            round_of[marker] = rnd
        else:
            val = str(seq)
            env = kill_env() if rng.random() < 0.1 else None
            p = subprocess.Popen(['crm-add', '--update', 'c2', '--set', 'r=' + val],
                                 env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            procs.append((p, 'r', val, env is not None))
    start = time.time()
    kills = sorted((rng.uniform(0, span), i) for i in range(len(procs))
                   if rng.random() < 1 / 3)
    for when, i in kills:
        delay = start + when - time.time()
        if delay > 0:
            time.sleep(delay)
        if procs[i][0].poll() is None:
            procs[i][0].send_signal(signal.SIGKILL)
    any_ok = False
    r_before, r_ok, r_killed = r_now, None, None
    for p, kind, what, special in procs:
        out, err = p.communicate()
        rc = p.returncode
        err = err.decode('utf-8', 'replace')
        if rc == 0:
            any_ok = True
            stats['ok'] += 1
        elif rc == -signal.SIGKILL:
            stats['killed'] += 1
        if kind == 'a':
            if special and rc == 0:
                fail('%s: a torn write did not kill the writer' % what)
            if rc == 0:
                outcome[what] = 'ok'
                if err:
                    fail('%s: exit 0 but stderr %r' % (what, err))
            elif rc == -signal.SIGKILL:
                outcome[what] = 'killed'
            elif rc == 1 and err == ("crm-log: %s ends with an incomplete record "
                                     "(cut short by a crash?); run 'crm-log --repair' "
                                     "first\n" % log_path):
                outcome[what] = 'refused'
                stats['refused'] += 1
            else:
                outcome[what] = 'failed'
                fail('%s: exit %d: %s' % (what, rc, err))
        else:
            if rc == 0:
                r_ok = what
                if out != b'c2\n' or err:
                    fail('update %s: exit 0 but %r %r' % (what, out, err))
            elif rc == -signal.SIGKILL:
                r_killed = what
            else:
                fail('update %s: exit %d: %s' % (what, rc, err))
    # The rewrite of this round: done if it said so, maybe if killed.
    try:
        r_now = value_r()
    except Exception as e:
        fail('round %d: customers.csv: %s' % (rnd, e))
        finish()
    if r_ok is not None and r_now != r_ok:
        fail('round %d: update r=%s reported success, customers.csv has r=%s'
             % (rnd, r_ok, r_now))
    if r_ok is None and r_now not in (r_before, r_killed):
        fail('round %d: r=%s from nowhere (was %s)' % (rnd, r_now, r_before))
    # Temporary files of killed rewrites go with the next writer.
    now_temps = temps()
    stats['temps'] += len(now_temps - prev_temps)
    if any_ok and now_temps & prev_temps:
        fail('round %d: a writer succeeded but left %s' % (rnd, now_temps & prev_temps))
    prev_temps = now_temps
    # A torn log: the readers say where, appends are refused, and
    # --repair moves exactly the fragment aside.
    with open(log_path, 'rb') as f:
        data = f.read()
    if not data.endswith(b'\n'):
        n_torn += 1
        stats['torn'] += 1
        cut = data.rfind(b'\n') + 1
        frag, line = data[cut:], data.count(b'\n') + 1
        # Which writer tore it: one of the tears that died (a tear
        # that came after it was refused), else a random kill.
        tears = [(m, k) for p, kind, m, k in procs
                 if kind == 'a' and k and p.returncode == -signal.SIGKILL]
        if tears and not any(frag == record(m)[:k] for m, k in tears):
            fail('round %d: fragment %r is none of %r' % (
                rnd, frag, [record(m)[:k] for m, k in tears]))
        if not tears:
            stats['torn_by_kill'] = stats.get('torn_by_kill', 0) + 1
        msg = ("crm-log: %s:%d: incomplete last record (cut short by a crash?); "
               "'crm-log --repair' moves it aside\n" % (log_path, line))
        r = run(['crm-log', '--list'])
        if r.returncode != 1 or r.stderr.decode() != msg:
            fail('round %d: crm-log --list on a torn log: %d %r' % (rnd, r.returncode, r.stderr))
        r = run(['crm-log', 'c1', 'note', 'must-be-refused'])
        with open(log_path, 'rb') as f:
            if r.returncode != 1 or f.read() != data:
                fail('round %d: an append to a torn log was not refused' % rnd)
        r = run(['crm-log', '--repair'])
        saved = '%s.torn-%d' % (log_path, n_torn)
        want = 'crm-log: %s:%d: moved the incomplete last record to %s\n' % (
            log_path, line, saved)
        if r.returncode != 0 or r.stderr.decode() != want:
            fail('round %d: --repair: %d %r' % (rnd, r.returncode, r.stderr))
        with open(saved, 'rb') as f:
            got = f.read()
        fragments[saved] = frag
        if got != frag:
            fail('round %d: %s has %r, the fragment was %r' % (rnd, saved, got, frag))
        if os.stat(saved).st_mode & 0o777 != 0o600:
            fail('round %d: %s mode %o' % (rnd, saved, os.stat(saved).st_mode & 0o777))
        with open(log_path, 'rb') as f:
            if f.read() != data[:cut]:
                fail('round %d: --repair did not cut the log at the fragment' % rnd)

# One more writer: no temporary file is left.
r = run(['crm-log', 'c1', 'note', 'the-end'])
if r.returncode != 0:
    fail('the last append: %r' % r.stderr)
if temps():
    fail('temporary files left after a writer: %s' % temps())

# Every file parses, every reported write is there once, nothing else.
try:
    log = rows(log_path)
    cust = rows(cust_path)
except Exception as e:
    fail('a file does not parse: %s' % e)
    finish()
if log[0] != HEADER:
    fail('log header %r' % log[0])
for i, row in enumerate(log[1:], 2):
    if len(row) != len(HEADER):
        fail('log.csv:%d: %d fields' % (i, len(row)))
notes = [row[10] for row in log[1:]]
seen = {}
for n in notes:
    seen[n] = seen.get(n, 0) + 1
for m, how in outcome.items():
    c = seen.get(m, 0)
    if how == 'ok' and c != 1:
        fail('%s reported success, is in the log %d times' % (m, c))
    if how == 'killed' and c > 1:
        fail('%s (killed) is in the log %d times' % (m, c))
    if how in ('refused', 'failed') and c != 0:
        fail('%s failed, is in the log %d times' % (m, c))
known = set(outcome) | {'the-end', 'wants a discount', ''} | \
    {'calibration-%d' % i for i in range(3)}
for n in seen:
    if n not in known:
        fail('the log has a note nobody wrote: %r' % n)
pos = [round_of[n] for n in notes if n in outcome]
if pos != sorted(pos):
    fail('appends of a round come before those of an earlier one')
ids = [r[0] for r in cust[1:]]
if sorted(ids) != ['c1', 'c2', 'c3']:
    fail('customers.csv has %r' % ids)
if any(len(r) != len(cust[0]) for r in cust[1:]):
    fail('customers.csv has rows of the wrong width')
for name, frag in fragments.items():
    with open(name, 'rb') as f:
        if f.read() != frag:
            fail('%s changed' % name)
stats['rounds'] = len(rounds)
finish()
EOF

# An ASan build starts ten times slower: there the harness does a
# quarter of the work, so as to stay well under a minute, and without
# the leak check at every exit (leaks are for the other tests to find).
# CRASH_APPENDS and CRASH_REWRITES set the numbers.
harness_asan=${ASAN_OPTIONS:-}
appends=${CRASH_APPENDS:-1000}
rewrites=${CRASH_REWRITES:-200}
if [ -n "$asan" ]; then
	harness_asan=${harness_asan:+$harness_asan:}detect_leaks=0
	appends=${CRASH_APPENDS:-250}
	rewrites=${CRASH_REWRITES:-50}
fi

test_expect_success "SIGKILL at random moments during $appends appends and $rewrites rewrites${asan:+ (fewer: an ASan build)}: every reported write is there, all parses" '
	rm -rf "$D" && cp -a clean "$D" &&
	ASAN_OPTIONS=$harness_asan "$PY" crash.py $appends $rewrites >out 2>&1 ||
	{ cat out; false; } &&
	cat out
'

test_done
