#!/bin/sh
test_description='crm-due --mail and --mail-per-owner: a real SMTP round trip, no header injection'
. "$(dirname "$0")/lib.sh"

# The fixed store of t3000 (see t3000-due.sh).  Its default list, most
# urgent first: c12 Tomáš Kováč, c7 Мария Кузнецова, c1 Иван Петров, c9
# (complaint), c10, c9 (followup), c5, c3, c16: 9 items.  By handler:
# anna c7 c1 c10; boris c12 c9 c9 c5 c3 (c5 is anna's, assigned to
# boris); tester c16.
E=$TEST_SRC/t3000

test_expect_success 'setup: the fixed store and owners.csv' '
	mkdir store &&
	cp "$E/customers.csv" "$E/log.csv" store/ &&
	cat >store/owners.csv <<-\EOF &&
	owner,email,name
	anna,anna@example.com,Анна Иванова
	boris,boris@example.com,Борис Соколов
	tester,tester@example.com,
	EOF
	chmod 700 store &&
	chmod 600 store/*.csv
'
CRM_DIR=$TRASH/store
export CRM_DIR

# A local SMTP server: aiosmtpd's Controller with a handler that keeps
# each message's raw bytes (NNN.eml) and its envelope (NNN.rcpt,
# NNN.from).  It stops on SIGTERM, and by itself after two minutes
# should this script die without killing it.
cat >smtp-sink.py <<\EOF
import os, signal, socket, sys, threading
from aiosmtpd.controller import Controller

outdir, portfile = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)

class Sink:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.n += 1
        base = os.path.join(outdir, '%03d' % Sink.n)
        with open(base + '.rcpt', 'w') as f:
            f.write(''.join(r + '\n' for r in envelope.rcpt_tos))
        with open(base + '.from', 'w') as f:
            f.write(envelope.mail_from + '\n')
        with open(base + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        os.rename(base + '.tmp', base + '.eml')
        return '250 OK'

# A free port: ask the kernel for one, and try again should another
# process take it in between.
for attempt in range(20):
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    ctl = Controller(Sink(), hostname='127.0.0.1', port=port)
    try:
        ctl.start()
        break
    except Exception:
        continue
else:
    sys.exit('smtp-sink: no free port')
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
with open(portfile + '.tmp', 'w') as f:
    f.write('%d\n' % port)
os.rename(portfile + '.tmp', portfile)
done.wait(120)
ctl.stop()
EOF

# check-msg.py MSG [key=value...]: parse MSG with the email package and
# check it; the keys say what to expect (see below).  Prints what is
# wrong and exits 1.
cat >check-msg.py <<\EOF
import csv, email, email.policy, email.utils, re, sys

raw = open(sys.argv[1], 'rb').read()
want = dict(a.split('=', 1) for a in sys.argv[2:])
bad = []
def check(ok, what):
    if not ok:
        bad.append(what)

head = raw.split(b'\n\n', 1)[0] if b'\r\n\r\n' not in raw else \
    raw.split(b'\r\n\r\n', 1)[0]
lines = head.replace(b'\r\n', b'\n').split(b'\n')
check(all(b < 0x80 for b in head), 'non-ASCII octets in the header')
for l in lines:
    check(len(l) <= 78, 'header line over 78 octets: %r' % l)
    check(not l.lower().startswith(b'bcc'), 'a Bcc header: %r' % l)
names = [l.split(b':', 1)[0].decode() for l in lines if l[:1] not in (b' ', b'\t')]
expected = ['Date', 'From', 'To', 'Subject', 'Message-ID', 'Auto-Submitted',
            'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding']
check(sorted(names) == sorted(expected),
      'headers %s, want exactly %s' % (names, expected))

m = email.message_from_bytes(raw, policy=email.policy.default)
check(not m.defects, 'defects: %s' % m.defects)
for h in expected:
    check(len(m.get_all(h) or []) == 1, 'not exactly one %s' % h)
check(m['Bcc'] is None, 'Bcc: %s' % m['Bcc'])
check(m['Cc'] is None, 'Cc: %s' % m['Cc'])
d = m['Date']
check(d is not None and d.datetime is not None, 'no valid Date: %s' % d)
mid = m['Message-ID'] or ''
check(re.fullmatch(r'<[^<>@\s]+@[^<>@\s]+>', str(mid)) is not None,
      'Message-ID %r' % mid)
if 'from' in want:
    a = m['From'].addresses
    check(len(a) == 1 and a[0].addr_spec == want['from'],
          'From %s, want %s' % (m['From'], want['from']))
    check(a[0].display_name == 'crm-due', 'From name %r' % a[0].display_name)
    check(str(mid).endswith('@' + want['from'].split('@')[1] + '>'),
          'Message-ID %s not in the domain of From' % mid)
if 'from-local' in want:
    a = m['From'].addresses
    check(len(a) == 1 and a[0].username == want['from-local'],
          'From %s, want %s@...' % (m['From'], want['from-local']))
if 'to' in want:
    a = m['To'].addresses
    check([x.addr_spec for x in a] == [want['to']],
          'To %s, want %s' % (m['To'], want['to']))
    if 'to-name' in want:
        check(a[0].display_name == want['to-name'],
              'To name %r, want %r' % (a[0].display_name, want['to-name']))
if 'subject' in want:
    check(m['Subject'] == want['subject'],
          'Subject %r, want %r' % (m['Subject'], want['subject']))
if 'subject-prefix' in want:
    check(m['Subject'].startswith(want['subject-prefix']),
          'Subject %r, want %r...' % (m['Subject'], want['subject-prefix']))
check(m['MIME-Version'] == '1.0', 'MIME-Version %r' % m['MIME-Version'])
check(m.get_content_type() == 'text/plain', 'type %s' % m.get_content_type())
check(m.get_content_charset() == 'utf-8', 'charset %s' % m.get_content_charset())
check(b'Content-Type: text/plain; charset=UTF-8' in lines,
      'no "Content-Type: text/plain; charset=UTF-8" line')
check(b'MIME-Version: 1.0' in lines, 'no "MIME-Version: 1.0" line')
body = m.get_content().replace('\r\n', '\n')
for l in body.split('\n'):
    check(not l.lower().startswith('bcc:'), 'body line %r' % l)
if 'body' in want:
    exp = open(want['body'], encoding='utf-8').read()
    check(body == exp, 'body:\n%s\nwant:\n%s' % (body, exp))
# items=FILE: crm-due CSV whose customers must all be in the body,
# each with name, phone and e-mail; and no other customer id.
if 'items' in want:
    flat = ' '.join(body.split())
    ids = set()
    with open(want['items'], encoding='utf-8', newline='') as f:
        for r in csv.DictReader(f):
            ids.add(r['customer'])
            for k in ('name', 'phone', 'email'):
                v = ' '.join(r[k].split())
                check(v in flat, '%s %r of %s not in the body' % (k, v, r['customer']))
    got = set(re.findall(r'\((c\d+|e\d+)\)', body))
    check(got == ids, 'customers in the body %s, want %s' % (sorted(got), sorted(ids)))
    n = len(re.findall(r'(?m)^\d+\. ', body))
    with open(want['items'], encoding='utf-8', newline='') as f:
        rows = sum(1 for _ in csv.DictReader(f))
    check(n == rows, '%d items in the body, want %d' % (n, rows))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

"$PY" smtp-sink.py "$TRASH/smtp" "$TRASH/smtp.port" >smtp.log 2>&1 &
SMTP_PID=$!
stop_smtp () {
	if [ -n "${SMTP_PID:-}" ]; then
		kill "$SMTP_PID" 2>/dev/null
		wait "$SMTP_PID" 2>/dev/null
		SMTP_PID=
	fi
}
trap stop_smtp EXIT
trap 'stop_smtp; exit 130' HUP INT TERM
i=0
while [ ! -s smtp.port ] && [ $i -lt 100 ] && kill -0 "$SMTP_PID" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(cat smtp.port 2>/dev/null || echo none)

test_expect_success 'setup: the SMTP server listens on 127.0.0.1' '
	test "$PORT" != none &&
	"$PY" -c "import socket; socket.create_connection((\"127.0.0.1\", $PORT), 5).close()"
'

# msmtp as the real client; --file=/dev/null: no configuration but ours.
send () {
	msmtp --file=/dev/null --host=127.0.0.1 --port="$PORT" \
		--from=crm@example.com "$@"
}

# deliveries: how many messages the server has got so far; nth N: the
# files of the Nth, without the extension.
deliveries () {
	ls "$TRASH/smtp" | grep -c "\.eml$" || :
}
nth () {
	printf '%s/smtp/%03d' "$TRASH" "$1"
}

SUBJECT='crm: 9 due on 2026-11-23: Tomáš Kováč, Мария Кузнецова, Иван Петров, ...'

test_expect_success '--mail TO writes one message on stdout' '
	CRM_MAIL_FROM=crm@example.com crm-due --mail boss@example.com >msg 2>err &&
	test_must_be_empty err &&
	crm-due >items &&
	"$PY" check-msg.py msg from=crm@example.com to=boss@example.com \
		"subject=$SUBJECT" body="$E/mail-body.expected" items=items
'

test_expect_success '--mail: 8bit body, LF line ends, no bare CR' '
	grep "^Content-Transfer-Encoding: 8bit$" msg &&
	! grep -q "$(printf "\r")" msg
'

test_expect_success '--mail through msmtp to an SMTP server and back' '
	n=$(deliveries) &&
	send -t <msg &&
	test $(deliveries) = $((n + 1)) &&
	f=$(nth $((n + 1))) &&
	echo boss@example.com >expect &&
	test_cmp expect "$f.rcpt" &&
	echo crm@example.com >expect &&
	test_cmp expect "$f.from" &&
	"$PY" check-msg.py "$f.eml" from=crm@example.com to=boss@example.com \
		"subject=$SUBJECT" body="$E/mail-body.expected" items=items
'

test_expect_success '--mail without CRM_MAIL_FROM: from the user' '
	crm-due --mail boss@example.com >msg2 &&
	"$PY" check-msg.py msg2 from-local=tester to=boss@example.com \
		"subject=$SUBJECT"
'

test_expect_success '--mail --owner anna: only her items' '
	CRM_MAIL_FROM=crm@example.com crm-due --owner anna --mail boss@example.com >msg3 &&
	crm-due --owner anna >items3 &&
	"$PY" check-msg.py msg3 from=crm@example.com to=boss@example.com \
		"subject=crm: 3 due on 2026-11-23: Мария Кузнецова, Иван Петров, Sven Berg" \
		items=items3
'

# Two messages from one run differ in Message-ID.
test_expect_success '--mail: a new Message-ID every time' '
	crm-due --mail boss@example.com >a &&
	crm-due --mail boss@example.com >b &&
	grep "^Message-ID:" a >ida &&
	grep "^Message-ID:" b >idb &&
	! test_cmp ida idb
'

# --mail-per-owner: an mbox on stdout, a message per handler in name
# order, each with that person's items only.
cat >split-mbox.py <<\EOF
import mailbox, sys
# Each message as it was written (get_bytes: no From_ line, nothing
# generated again), and the address of its From_ line.
box = mailbox.mbox(sys.argv[1], create=False)
n = 0
for i, key in enumerate(box.keys()):
    with open('%s.%d' % (sys.argv[2], i + 1), 'wb') as f:
        f.write(box.get_bytes(key))
    print(box.get_message(key).get_from().split()[0])
    n += 1
print(n)
EOF

test_expect_success 'setup: the items of each person' '
	crm-due --owner anna >items-anna &&
	crm-due --owner boris >items-boris &&
	crm-due --owner tester >items-tester &&
	test $(cat items-anna items-boris items-tester | grep -vc ^kind,) = 9
'

test_expect_success '--mail-per-owner: one message per owner, as mbox' '
	CRM_MAIL_FROM=crm@example.com crm-due --mail-per-owner >mbox 2>err &&
	test_must_be_empty err &&
	test $(grep -c "^From " mbox) = 3 &&
	"$PY" split-mbox.py mbox part >parts &&
	printf "crm@example.com\ncrm@example.com\ncrm@example.com\n3\n" >expect &&
	test_cmp expect parts &&
	"$PY" check-msg.py part.1 from=crm@example.com to=anna@example.com \
		"to-name=Анна Иванова" items=items-anna \
		"subject=crm: 3 due on 2026-11-23: Мария Кузнецова, Иван Петров, Sven Berg" &&
	"$PY" check-msg.py part.2 from=crm@example.com to=boris@example.com \
		"to-name=Борис Соколов" items=items-boris \
		"subject-prefix=crm: 5 due on 2026-11-23: Tomáš Kováč, " &&
	"$PY" check-msg.py part.3 from=crm@example.com to=tester@example.com \
		to-name= items=items-tester \
		"subject=crm: 1 due on 2026-11-23: Ольга Белова"
'

# The address is the one of the owner the message is for, whatever the
# order of owners.csv and however many items there are.
test_expect_success '--mail-per-owner --owner tester: to tester, not another owner' '
	crm-due --owner tester --mail-per-owner >mbox6 &&
	"$PY" split-mbox.py mbox6 t >/dev/null &&
	"$PY" check-msg.py t.1 to=tester@example.com items=items-tester \
		"subject=crm: 1 due on 2026-11-23: Ольга Белова"
'

# The follow-up of c5 is anna's customer but boris's to do: it goes to
# boris, and anna's message does not hold it.
test_expect_success '--mail-per-owner: an assigned follow-up goes to the assignee' '
	grep -c "(c5)" part.2 >n &&
	echo 1 >one &&
	test_cmp one n &&
	! grep "(c5)" part.1
'

test_expect_success '--mail-per-owner --owners FILE' '
	sed "s/@example.com/@example.org/" store/owners.csv >owners2.csv &&
	crm-due --mail-per-owner --owners owners2.csv >mbox2 &&
	"$PY" split-mbox.py mbox2 q >/dev/null &&
	"$PY" check-msg.py q.1 to=anna@example.org items=items-anna &&
	"$PY" check-msg.py q.2 to=boris@example.org items=items-boris &&
	"$PY" check-msg.py q.3 to=tester@example.org items=items-tester
'

test_expect_success '--mail-per-owner: a missing address names the owner, exit 1' '
	grep -v "^tester," store/owners.csv >owners3.csv &&
	test_expect_code 1 crm-due --mail-per-owner --owners owners3.csv \
		>out 2>err &&
	test_must_be_empty out &&
	echo "crm-due: owners3.csv: no address for '\''tester'\''" >expect &&
	test_cmp expect err
'

test_expect_success '--mail-per-owner: two missing addresses, both named' '
	grep -v "^boris," owners3.csv >owners4.csv &&
	test_expect_code 1 crm-due --mail-per-owner --owners owners4.csv \
		>out 2>err &&
	test_must_be_empty out &&
	echo "crm-due: owners4.csv: no address for '\''boris'\'', '\''tester'\''" >expect &&
	test_cmp expect err
'

test_expect_success '--mail-per-owner: the store'\''s owners.csv missing an owner' '
	cp store/owners.csv owners.keep &&
	cp owners3.csv store/owners.csv &&
	test_expect_code 1 crm-due --mail-per-owner >out 2>err;
	rc=$?
	cp owners.keep store/owners.csv &&
	test $rc = 0 &&
	test_must_be_empty out &&
	echo "crm-due: $CRM_DIR/owners.csv: no address for '\''tester'\''" >expect &&
	test_cmp expect err
'

test_expect_success '--mail-per-owner: an owner with no items needs no address' '
	crm-due --owner anna --mail-per-owner --owners owners4.csv >mbox5 &&
	test $(grep -c "^From " mbox5) = 1
'

test_expect_success '--mail-per-owner: an invalid address is an error' '
	sed "s/^anna,anna@example.com/anna,anna at example.com/" store/owners.csv >owners6.csv &&
	test_expect_code 1 crm-due --mail-per-owner --owners owners6.csv >out 2>err &&
	test_must_be_empty out &&
	grep "owners6.csv:2: invalid e-mail address '\''anna at example.com'\''" err
'

# --sendmail=PATH runs PATH -t -i with the message on stdin: msmtp,
# told where the server is, delivers each message by SMTP.
test_expect_success '--mail-per-owner --sendmail: three SMTP deliveries' '
	cat >sendmail <<-EOF &&
	#!/bin/sh
	echo "\$*" >>"$TRASH/sendmail.args"
	exec msmtp --file=/dev/null --host=127.0.0.1 --port=$PORT --from=crm@example.com "\$@"
	EOF
	chmod +x sendmail &&
	n=$(deliveries) &&
	rm -f sendmail.args &&
	CRM_MAIL_FROM=crm@example.com crm-due --mail-per-owner \
		--sendmail="$TRASH/sendmail" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	printf -- "-t -i\n-t -i\n-t -i\n" >expect &&
	test_cmp expect sendmail.args &&
	test $(deliveries) = $((n + 3)) &&
	cat $(nth $((n + 1))).rcpt $(nth $((n + 2))).rcpt $(nth $((n + 3))).rcpt >rcpts &&
	printf "anna@example.com\nboris@example.com\ntester@example.com\n" >expect &&
	test_cmp expect rcpts &&
	"$PY" check-msg.py $(nth $((n + 1))).eml from=crm@example.com to=anna@example.com items=items-anna &&
	"$PY" check-msg.py $(nth $((n + 2))).eml from=crm@example.com to=boris@example.com items=items-boris &&
	"$PY" check-msg.py $(nth $((n + 3))).eml from=crm@example.com to=tester@example.com items=items-tester
'

test_expect_success '--mail --sendmail: one delivery to TO' '
	cat >sendmail1 <<-EOF &&
	#!/bin/sh
	exec msmtp --file=/dev/null --host=127.0.0.1 --port=$PORT --from=crm@example.com "\$@"
	EOF
	chmod +x sendmail1 &&
	n=$(deliveries) &&
	CRM_MAIL_FROM=crm@example.com crm-due --mail boss@example.com \
		--sendmail="$TRASH/sendmail1" >out &&
	test_must_be_empty out &&
	test $(deliveries) = $((n + 1)) &&
	f=$(nth $((n + 1))) &&
	echo boss@example.com >expect &&
	test_cmp expect $f.rcpt &&
	"$PY" check-msg.py $f.eml from=crm@example.com to=boss@example.com \
		"subject=$SUBJECT" body="$E/mail-body.expected" items=items
'

test_expect_success '--sendmail that fails: exit 1 and a message' '
	printf "#!/bin/sh\ncat >/dev/null\nexit 75\n" >badmail &&
	chmod +x badmail &&
	test_expect_code 1 crm-due --mail boss@example.com \
		--sendmail="$TRASH/badmail" >out 2>err &&
	test_must_be_empty out &&
	echo "crm-due: $TRASH/badmail did not take the message (exit status 75)" >expect &&
	test_cmp expect err
'

# Header injection.  crm-add keeps control characters out of names...
test_expect_success 'crm-add refuses a name with CR LF' '
	mkdir evil &&
	CRM_DIR=$TRASH/evil/store &&
	export CRM_DIR &&
	crm-add --name seed >/dev/null &&
	test_fails_cleanly 1 "crm-add: name may not contain control characters or line breaks: '\''Eve\r\nBcc: evil@example.com'\''" \
		crm-add --name "$(printf "Eve\r\nBcc: evil@example.com")"
'

test_expect_success 'crm-add --import refuses a quoted name with CR LF' '
	CRM_DIR=$TRASH/evil/store &&
	export CRM_DIR &&
	printf "name,email\n\"Eve\r\nBcc: evil@example.com\",eve@example.com\n" >evil.csv &&
	test_fails_cleanly 1 "crm-add: evil.csv:2: name may not contain control characters or line breaks: '\''Eve\r\nBcc: evil@example.com'\''" \
		crm-add --import evil.csv
'

CR=$(printf "\r")
LF='
'
# ... but a customers.csv edited by hand (or by another program) may
# hold them, quoted, and so may a note in the log (crm-log --import).
test_expect_success 'setup: a store with CR LF and Bcc: in names and notes' '
	rm -rf evil/store &&
	mkdir -m 700 evil/store &&
	printf "%s\r\n%s\r\n%s\r\n%s\r\n" \
		"id,name,company,email,phone,owner,tier,created" \
		"e1,\"Eve$CR$LF""Bcc: evil@example.com\",\"ACME$LF""Bcc: evil@example.com\",eve@example.com,+15550100,anna,key,2026-01-01" \
		"e2,\"Mallory$CR""Bcc: evil@example.com\",,mallory@example.com,,anna,,2026-01-01" \
		"e3,Bcc: evil@example.com,,trent@example.com,,anna,,2026-01-01" \
		>evil/store/customers.csv &&
	grep -o "Bcc" evil/store/customers.csv | wc -l >n &&
	echo 4 >four &&
	test_cmp four n &&
	grep -q "$CR" evil/store/customers.csv &&
	chmod 600 evil/store/customers.csv &&
	CRM_DIR=$TRASH/evil/store &&
	export CRM_DIR &&
	printf "%s\n" \
		"date,customer,type,next,next_action,note" \
		"2026-11-20,e1,call,2026-11-22,send the contract,\"fine$CR$LF""Bcc: evil@example.com\"" \
		"2026-11-20,e2,call,2026-11-23,call back,\"ok$LF""Bcc: evil@example.com\"" \
		"2026-11-21,e3,call,2026-11-23,x,\"Bcc: evil@example.com\"" \
		>notes.csv &&
	crm-log --import notes.csv &&
	crm-due >evil-items &&
	test $(grep -c "^followup," evil-items) = 3
'

EVIL_SUBJECT='crm: 3 due on 2026-11-23: Eve Bcc: evil@example.com, Mallory Bcc: evil@example.com, Bcc: evil@example.com'

test_expect_success 'header injection: no extra header in --mail' '
	CRM_DIR=$TRASH/evil/store &&
	export CRM_DIR &&
	CRM_MAIL_FROM=crm@example.com crm-due --mail boss@example.com >evil.msg &&
	"$PY" check-msg.py evil.msg from=crm@example.com to=boss@example.com \
		"subject=$EVIL_SUBJECT" items=evil-items
'

test_expect_success 'header injection: msmtp -t sends to boss@example.com only' '
	n=$(deliveries) &&
	send -t <evil.msg &&
	test $(deliveries) = $((n + 1)) &&
	f=$(nth $((n + 1))) &&
	echo boss@example.com >expect &&
	test_cmp expect $f.rcpt &&
	"$PY" check-msg.py $f.eml from=crm@example.com to=boss@example.com \
		"subject=$EVIL_SUBJECT" items=evil-items
'

test_expect_success 'header injection: an owner name with CR LF in owners.csv' '
	CRM_DIR=$TRASH/evil/store &&
	export CRM_DIR &&
	printf "owner,email,name\r\nanna,anna@example.com,\"Anna\r\nBcc: evil@example.com\"\r\n" \
		>evil/store/owners.csv &&
	chmod 600 evil/store/owners.csv &&
	CRM_MAIL_FROM=crm@example.com crm-due --mail-per-owner >evil.mbox &&
	"$PY" split-mbox.py evil.mbox evil.part >parts &&
	printf "crm@example.com\n1\n" >expect &&
	test_cmp expect parts &&
	"$PY" check-msg.py evil.part.1 from=crm@example.com to=anna@example.com \
		"to-name=Anna Bcc: evil@example.com" items=evil-items
'

test_expect_success 'header injection: CRM_MAIL_FROM with a line break is refused' '
	CRM_DIR=$TRASH/evil/store &&
	export CRM_DIR &&
	CRM_MAIL_FROM="$(printf "crm@example.com\nBcc: evil@example.com")" &&
	export CRM_MAIL_FROM &&
	test_expect_code 1 crm-due --mail boss@example.com >out 2>err &&
	test_must_be_empty out &&
	grep "invalid e-mail address" err
'

test_expect_success 'header injection: TO with a line break is a usage error' '
	test_expect_code 2 crm-due --mail "$(printf "boss@example.com\nBcc: evil@example.com")" \
		>out 2>err &&
	test_must_be_empty out &&
	grep "^crm-due: --mail: invalid e-mail address" err
'

test_expect_success 'the server got each message whole, with its envelope' '
	ls smtp >list &&
	test $(grep -c "\.eml$" list) = $(grep -c "\.rcpt$" list) &&
	test $(grep -c "\.eml$" list) -ge 3 &&
	! grep "\.tmp$" list
'

stop_smtp
test_done
