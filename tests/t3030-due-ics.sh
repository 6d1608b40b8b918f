#!/bin/sh
test_description='crm-due --ics: an iCalendar file that a parser reads back'
. "$(dirname "$0")/lib.sh"

# The fixed store of t3000 (see t3000-due.sh).  --ics looks ahead
# without end: the 15 items of the two-week agenda (t3010) and the
# birthdays of c17 (2027-02-28: no 29 February in 2027) and c18
# (2027-11-22, as its 2026 birthday was yesterday), 17 events in all:
# tests/t3000/ics-events.expected, with DTEND the day after DTSTART.
E=$TEST_SRC/t3000

test_expect_success 'setup: the fixed store' '
	mkdir store &&
	cp "$E/customers.csv" "$E/log.csv" store/ &&
	chmod 700 store &&
	chmod 600 store/customers.csv store/log.csv
'
CRM_DIR=$TRASH/store
export CRM_DIR

# check-ics.py FILE: checks the physical lines (CRLF, at most 75
# octets, each valid UTF-8 by itself: folding never cuts a character),
# parses FILE with icalendar and prints a line per VEVENT:
# "DTSTART DTEND kind customer UID"; exits 1 on any problem, and on a
# UID seen twice.
cat >check-ics.py <<\EOF
import re, sys, icalendar

raw = open(sys.argv[1], 'rb').read()
bad = []
if not raw.endswith(b'\r\n'):
    bad.append('does not end with CRLF')
for i, l in enumerate(raw.split(b'\r\n')[:-1]):
    if len(l) > 75:
        bad.append('line %d: %d octets' % (i + 1, len(l)))
    if b'\n' in l or b'\r' in l:
        bad.append('line %d: a bare CR or LF' % (i + 1))
    try:
        l.decode('utf-8')
    except UnicodeDecodeError as e:
        bad.append('line %d: not UTF-8: %s' % (i + 1, e))
cal = icalendar.Calendar.from_ical(raw)
if str(cal.get('VERSION')) != '2.0':
    bad.append('VERSION %s' % cal.get('VERSION'))
uids = set()
for ev in cal.walk('VEVENT'):
    uid = str(ev['UID'])
    if uid in uids:
        bad.append('UID %s twice' % uid)
    uids.add(uid)
    cats = [str(c) for c in ev['CATEGORIES'].cats]
    head = str(ev['DESCRIPTION']).split('\nfor: ')[0]
    m = re.search(r'\(([A-Za-z0-9._-]+)\)(, |$)', head)
    print(ev.decoded('DTSTART').strftime('%Y%m%d'),
          ev.decoded('DTEND').strftime('%Y%m%d'),
          ','.join(cats), m.group(1) if m else '?', uid)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

# show-ics.py FILE KIND CUSTOMER FIELD: the decoded value of FIELD
# (SUMMARY, DESCRIPTION) of the one event of that kind (CATEGORIES)
# whose description starts with "name (CUSTOMER)" (up to "for: ...").
cat >show-ics.py <<\EOF
import re, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
kind, cust, field = sys.argv[2:5]
def match(ev):
    head = str(ev['DESCRIPTION']).split('\nfor: ')[0]
    m = re.search(r'\(([A-Za-z0-9._-]+)\)(, |$)', head)
    return kind in [str(c) for c in ev['CATEGORIES'].cats] and m and m.group(1) == cust
hits = [ev for ev in cal.walk('VEVENT') if match(ev)]
if len(hits) != 1:
    sys.exit('%d %s events of %s' % (len(hits), kind, cust))
sys.stdout.write(str(hits[0][field]) + '\n')
EOF

test_expect_success '--ics: every item on its day, parsed by icalendar' '
	crm-due --ics >cal.ics 2>err &&
	test_must_be_empty err &&
	"$PY" check-ics.py cal.ics >events &&
	cut -d" " -f1-4 events | LC_ALL=C sort >actual &&
	test_cmp "$E/ics-events.expected" actual
'

test_expect_success '--ics: a VCALENDAR of VEVENTs, lines end with CRLF' '
	head -n 1 cal.ics >first &&
	printf "BEGIN:VCALENDAR\r\n" >expect &&
	test_cmp expect first &&
	tail -n 1 cal.ics >last &&
	printf "END:VCALENDAR\r\n" >expect &&
	test_cmp expect last &&
	test $(grep -c "^BEGIN:VEVENT" cal.ics) = 17 &&
	test $(grep -c "^END:VEVENT" cal.ics) = 17
'

test_expect_success '--ics: UIDs are unique' '
	cut -d" " -f5 events | sort | uniq -d >dups &&
	test_must_be_empty dups &&
	test $(cut -d" " -f5 events | sort -u | wc -l) = 17
'

test_expect_success '--ics: summary and description of a follow-up' '
	"$PY" show-ics.py cal.ics followup c1 SUMMARY >actual &&
	echo "Иван Петров - send the offer" >expect &&
	test_cmp expect actual &&
	"$PY" show-ics.py cal.ics followup c1 DESCRIPTION >actual &&
	cat >expect <<-\EOF &&
	Иван Петров (c1), Металлург
	for: anna
	last contact: 2026-11-10 call: wants a discount
	phone: +79120001122
	email: ivan@example.com
	EOF
	test_cmp expect actual
'

test_expect_success '--ics: the follow-up assigned to boris is for boris' '
	"$PY" show-ics.py cal.ics followup c5 DESCRIPTION >actual &&
	grep -x "for: boris" actual
'

test_expect_success '--ics: summaries of a complaint, a cadence, a birthday' '
	"$PY" show-ics.py cal.ics complaint c7 SUMMARY >actual &&
	"$PY" show-ics.py cal.ics cadence c12 SUMMARY >>actual &&
	"$PY" show-ics.py cal.ics birthday c15 SUMMARY >>actual &&
	cat >expect <<-\EOF &&
	Complaint: Мария Кузнецова - answer the complaint: invoice was wrong
	Regular contact: Tomáš Kováč - no contact yet (key: every 30 days)
	Birthday: Nina Bauer - birthday (46)
	EOF
	test_cmp expect actual
'

test_expect_success '--ics: the same file twice for the same today' '
	crm-due --ics >cal2.ics &&
	cmp cal.ics cal2.ics
'

test_expect_success '--ics: UIDs stay when unrelated events are appended' '
	crm-log c1 purchase --amount 99.00 --date 2026-11-22 &&
	crm-log c2 note "asked about the weather" --date 2026-11-22 &&
	crm-log c4 refund --amount 10.00 --date 2026-11-22 &&
	crm-log c13 call "nothing new" --date 2026-11-20 &&
	crm-due --ics >cal3.ics &&
	"$PY" check-ics.py cal3.ics >events3 &&
	sort events >before &&
	sort events3 >after &&
	test_cmp before after
'

test_expect_success '--ics: DTSTAMP is today when today is fixed' '
	grep "^DTSTAMP:" cal.ics | sort -u >stamps &&
	printf "DTSTAMP:20261123T000000Z\r\n" >expect &&
	test_cmp expect stamps
'

test_expect_success '--ics --within 7d: the horizon applies' '
	crm-due --ics --within 7d >week.ics &&
	"$PY" check-ics.py week.ics >week &&
	crm-due --within 7d >list &&
	test $(wc -l <week) = $(($(wc -l <list) - 1))
'

test_expect_success '--ics --owner anna: her items only' '
	crm-due --ics --owner anna >anna.ics &&
	"$PY" check-ics.py anna.ics >anna &&
	cut -d" " -f1-4 anna | LC_ALL=C sort >actual &&
	cat >expect <<-\EOF &&
	20261119 20261120 cadence c10
	20261120 20261121 followup c1
	20261121 20261122 complaint c7
	20261125 20261126 birthday c15
	20261126 20261127 followup c2
	20261204 20261205 cadence c7
	EOF
	test_cmp expect actual
'

# Text that needs escaping: commas, semicolons, a backslash, newlines,
# and Cyrillic over 200 octets (so that lines are folded, and between
# characters only).
LONG_NAME='Константин Константинович Константинопольский-Преображенский, заместитель директора Санкт-Петербургского филиала'
LONG_ACTION='Отправить коммерческое предложение, счёт; договор поставки и спецификацию на все позиции — согласовать сроки с отделом логистики'

test_expect_success 'setup: a store with text to escape' '
	CRM_DIR=$TRASH/odd &&
	export CRM_DIR &&
	test $(printf %s "$LONG_NAME" | wc -c) -gt 200 &&
	test $(printf %s "$LONG_ACTION" | wc -c) -gt 200 &&
	crm-add --id o1 --name "Smith, Jones; Partners \\ Co" \
		--company "A, B; C" --email smith@example.com >/dev/null &&
	crm-add --id o2 --name "$LONG_NAME" --company "ООО «Ромашка», филиал; №2" >/dev/null &&
	crm-log o1 call "$(printf "first line, with; marks\nsecond line")" \
		--date 2026-11-20 --next 2026-11-25 \
		--next-action "call back, then; mail \\ fax" &&
	crm-log o2 meeting "$LONG_ACTION" --date 2026-11-21 --next 2026-11-24 \
		--next-action "$LONG_ACTION"
'

test_expect_success '--ics: commas, semicolons, backslashes and newlines round-trip' '
	CRM_DIR=$TRASH/odd &&
	export CRM_DIR &&
	crm-due --ics --no-birthdays >odd.ics &&
	"$PY" check-ics.py odd.ics >odd.events &&
	test $(wc -l <odd.events) = 2 &&
	grep "SUMMARY:Smith\\\\, Jones\\\\; Partners \\\\\\\\ Co" odd.ics &&
	"$PY" show-ics.py odd.ics followup o1 SUMMARY >actual &&
	printf "%s\n" "Smith, Jones; Partners \\ Co - call back, then; mail \\ fax" >expect &&
	test_cmp expect actual &&
	"$PY" show-ics.py odd.ics followup o1 DESCRIPTION >actual &&
	cat >expect <<-\EOF &&
	Smith, Jones; Partners \ Co (o1), A, B; C
	for: tester
	last contact: 2026-11-20 call: first line, with; marks
	email: smith@example.com
	EOF
	test_cmp expect actual
'

test_expect_success '--ics: long Cyrillic text is folded and comes back whole' '
	CRM_DIR=$TRASH/odd &&
	export CRM_DIR &&
	"$PY" show-ics.py odd.ics followup o2 SUMMARY >actual &&
	printf "%s - %s\n" "$LONG_NAME" "$LONG_ACTION" >expect &&
	test_cmp expect actual &&
	"$PY" show-ics.py odd.ics followup o2 DESCRIPTION >actual &&
	head -n 1 actual >first &&
	printf "%s\n" "$LONG_NAME (o2), ООО «Ромашка», филиал; №2" >expect &&
	test_cmp expect first &&
	grep "^ " odd.ics >folds &&
	test $(wc -l <folds) -gt 5
'

# The note is shown by its first line and not all of a long one: what
# is shown is a prefix of the note, cut between characters.
test_expect_success '--ics: a long note is cut between characters' '
	CRM_DIR=$TRASH/odd &&
	export CRM_DIR &&
	"$PY" show-ics.py odd.ics followup o2 DESCRIPTION >actual &&
	sed -n "s/^last contact: 2026-11-21 meeting: //p" actual >shown &&
	test -s shown &&
	"$PY" -c "import sys; s = open(\"shown\", encoding=\"utf-8\").read().rstrip(\"\n\"); sys.exit(0 if sys.argv[1].startswith(s) else 1)" "$LONG_ACTION"
'

# A name with a line break (a customers.csv written by hand, read with
# --customers) comes back with its line break.
test_expect_success '--ics: a line break in a name round-trips' '
	CRM_DIR=$TRASH/odd &&
	export CRM_DIR &&
	printf "id,name,owner,tier\no1,\"Line\nBreak, Ltd\",tester,\n" >lf.csv &&
	crm-due --ics --no-birthdays --customers lf.csv >lf.ics &&
	"$PY" check-ics.py lf.ics >lf.events &&
	grep " followup o1 " lf.events &&
	grep "SUMMARY:Line\\\\nBreak\\\\, Ltd - call back" lf.ics &&
	"$PY" show-ics.py lf.ics followup o1 SUMMARY >actual &&
	printf "Line\nBreak, Ltd - call back, then; mail \\\\ fax\n" >expect &&
	test_cmp expect actual
'

test_done
