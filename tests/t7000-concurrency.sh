#!/bin/sh
test_description='concurrent writers: 8 crm-log and 2 crm-add --update for 10 seconds, with readers: every reported write there exactly once, every row whole'
. "$(dirname "$0")/lib.sh"

# Each write carries a unique marker (the note of an event, the value of
# a column of one's own); each writer notes which of its writes exited
# 0 and which did not, and the store is checked against that at the end.
# Readers run alongside and must never see a half-done write.

CRM_DIR=$TRASH/store
export CRM_DIR
SECONDS_RUN=10

# An ASan build starts ten times slower; without the leak check at each
# exit it gets through more writes in the ten seconds (leaks are for the
# other tests to find).
if ldd "$CRM_BUILD/bin/crm-log" 2>/dev/null | grep -q libasan; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
fi

# writer P: appends events "wP-I" until told to stop.
writer () {
	i=0
	while [ ! -e stop ]; do
		i=$((i + 1))
		if crm-log "c$((i % 5 + 1))" note "w$1-$i" 2>>"err.w$1"; then
			echo "w$1-$i" >>"ok.w$1"
		else
			echo "w$1-$i" >>"fail.w$1"
		fi
	done
}

# updater 1 sets the column u1 of c1 to 1, 2, 3...; updater 2 sets u2
# and hands c1 back and forth between anna and boris, which appends a
# reassign event each time.  The value last reported done is in last.uP.
updater () {
	i=0
	while [ ! -e stop ]; do
		i=$((i + 1))
		rc=0
		if [ "$1" = 1 ]; then
			owner=
			crm-add --update c1 --set "u1=$i" >/dev/null 2>>err.u1 || rc=$?
		else
			owner=anna
			if [ $((i % 2)) = 1 ]; then
				owner=boris
			fi
			crm-add --update c1 --set "u2=$i" --owner "$owner" \
				>/dev/null 2>>err.u2 || rc=$?
		fi
		if [ $rc = 0 ]; then
			echo "$i $owner" >"last.u$1"
			echo "$i" >>"ok.u$1"
		else
			echo "$i" >>"fail.u$1"
		fi
	done
}

# reader P: reads the store again and again; every read must succeed,
# see all five customers, and see the log only grow.
reader () {
	prev=0
	while [ ! -e stop ]; do
		if ! crm-log --list >"log.r$1" 2>>"err.r$1"; then
			echo "crm-log --list failed" >>"fail.r$1"
		fi
		n=$(wc -l <"log.r$1")
		if [ "$n" -lt "$prev" ]; then
			echo "the log shrank from $prev to $n lines" >>"fail.r$1"
		fi
		prev=$n
		if ! crm-add --list >"cust.r$1" 2>>"err.r$1"; then
			echo "crm-add --list failed" >>"fail.r$1"
		elif [ "$(wc -l <"cust.r$1")" != 6 ]; then
			echo "crm-add --list has $(wc -l <"cust.r$1") lines" >>"fail.r$1"
			cat "cust.r$1" >>"fail.r$1"
		fi
		if ! crm-due --agenda >/dev/null 2>>"err.r$1"; then
			echo "crm-due --agenda failed" >>"fail.r$1"
		fi
		echo x >>"runs.r$1"
	done
}

test_expect_success 'setup: five customers and a log' '
	for n in "Ivan Petrov" "Olga Ivanova" "Tomáš Kováč" "Ingrid Hansen" "Jan Novák"; do
		crm-add --name "$n" --owner anna >/dev/null || exit 1
	done &&
	crm-add --update c1 --set u1= --set u2= >/dev/null &&
	crm-log c1 call "first contact" --next today &&
	cp store/customers.csv customers.before
'

test_expect_success "8 crm-log and 2 crm-add --update for $SECONDS_RUN seconds, 2 readers alongside" '
	rm -f stop &&
	for p in 1 2 3 4 5 6 7 8; do
		writer $p &
	done &&
	updater 1 &
	updater 2 &
	reader 1 &
	reader 2 &
	sleep $SECONDS_RUN &&
	: >stop &&
	wait &&
	cat ok.w* | wc -l >n.appends &&
	cat ok.u* | wc -l >n.updates &&
	test "$(cat n.appends)" -gt 0 &&
	test -s ok.u1 && test -s ok.u2
'

echo "# $(cat n.appends 2>/dev/null) appends, $(cat n.updates 2>/dev/null) updates and $(cat runs.r1 runs.r2 2>/dev/null | wc -l) rounds of reads"

test_expect_success 'no write failed' '
	for f in fail.w* fail.u* err.w* err.u*; do
		test -e "$f" || continue
		if test -s "$f"; then
			echo "$f:" && cat "$f" && exit 1
		fi
	done
'

test_expect_success 'every read succeeded, saw all customers, and the log only grew' '
	cat runs.r1 runs.r2 | wc -l >n.reads &&
	test "$(cat n.reads)" -gt 0 &&
	for f in fail.r1 fail.r2 err.r1 err.r2; do
		if test -s "$f"; then
			echo "$f:" && cat "$f" && exit 1
		fi
	done
'

cat >check.py <<\EOF
import csv, io, os, sys

store = os.environ['CRM_DIR']
errors = []


def rows(path):
    with open(path, 'rb') as f:
        data = f.read()
    if not data.endswith(b'\n'):
        errors.append('%s does not end with a line end' % path)
    return list(csv.reader(io.StringIO(data.decode('utf-8'), newline=''),
                           strict=True))


def lines(path):
    try:
        with open(path) as f:
            return f.read().split()
    except FileNotFoundError:
        return []


log = rows(os.path.join(store, 'log.csv'))
head = log[0]
if head != ['date', 'customer', 'type', 'channel', 'amount', 'outcome', 'next',
            'next_action', 'assignee', 'by', 'note']:
    errors.append('log header %r' % head)
for n, r in enumerate(log[1:], 2):
    if len(r) != len(head):
        errors.append('log.csv:%d: %d fields, not %d: %r' % (n, len(r), len(head), r))
notes = [r[10] for r in log[1:] if len(r) == len(head)]
count = {}
for x in notes:
    count[x] = count.get(x, 0) + 1
ok = set()
for p in range(1, 9):
    for m in lines('ok.w%d' % p):
        ok.add(m)
        if count.get(m, 0) != 1:
            errors.append('%s reported success, is in the log %d times'
                          % (m, count.get(m, 0)))
    for m in lines('fail.w%d' % p):
        if count.get(m, 0):
            errors.append('%s failed, is in the log' % m)
    # One writer's events are in the order it wrote them.
    mine = [int(x.split('-')[1]) for x in notes if x.startswith('w%d-' % p)]
    if mine != sorted(mine):
        errors.append('the events of writer %d are out of order' % p)
for x in count:
    if x not in ok and not x.startswith('owner ') and x != 'first contact':
        errors.append('the log has a note nobody wrote: %r' % x)

# Each update of updater 2 moved c1 to the other owner: one reassign
# event each, and nothing else wrote one.
reassign = [r for r in log[1:] if len(r) == len(head) and r[2] == 'reassign']
if len(reassign) != len(lines('ok.u2')):
    errors.append('%d reassign events for %d owner changes'
                  % (len(reassign), len(lines('ok.u2'))))

cust = rows(os.path.join(store, 'customers.csv'))
ch = cust[0]
for n, r in enumerate(cust[1:], 2):
    if len(r) != len(ch):
        errors.append('customers.csv:%d: %d fields, not %d' % (n, len(r), len(ch)))
ids = [r[0] for r in cust[1:]]
if sorted(ids) != ['c1', 'c2', 'c3', 'c4', 'c5']:
    errors.append('customers.csv has the ids %r' % ids)
c1 = dict(zip(ch, [r for r in cust[1:] if r[0] == 'c1'][0]))
for p in (1, 2):
    with open('last.u%d' % p) as f:
        last = f.read().split()
    if c1['u%d' % p] != last[0]:
        errors.append('c1 has u%d=%s, the last update reported done set %s'
                      % (p, c1['u%d' % p], last[0]))
    if p == 2 and c1['owner'] != last[1]:
        errors.append('c1 is owned by %s, the last update reported done gave it to %s'
                      % (c1['owner'], last[1]))
for e in errors[:20]:
    print(e)
sys.exit(1 if errors else 0)
EOF

test_expect_success 'every write that reported success is in the store exactly once, every row parses' '
	"$PY" check.py
'

test_expect_success 'the other customers are as they were, no temporary file is left, modes stay private' '
	grep -v "^c1," customers.before >expect &&
	grep -v "^c1," store/customers.csv >actual &&
	test_cmp expect actual &&
	test $(ls -A store | grep -c "^\.customers\.csv\.") = 0 &&
	test "$(stat -c %a store store/customers.csv store/log.csv | sort -u)" = "600
700"
'

test_done
