#!/bin/sh
test_description='hostile input: one case a line of a table, each with its exit status and message'
. "$(dirname "$0")/lib.sh"

# The inputs, made once.  Each is small but for the ones that are big on
# purpose (a 10 MB field, 100,000 columns).
mkdir in
H=date,customer,type,amount
printf 'name,email\nIvan,"ivan@x.example\n' >in/unterminated.csv
awk 'BEGIN { printf "name,note\nBig,\""; for (i = 0; i < 163840; i++) printf "%s", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; print "\"" }' >in/field10mb.csv
awk 'BEGIN { printf "name"; for (i = 1; i < 100000; i++) printf ",c%d", i; print ""; printf "Wide"; for (i = 1; i < 100000; i++) printf ","; print "" }' >in/cols100k.csv
printf 'name,email\nIv\000an,ivan@x.example\n' >in/nul.csv
printf 'name,email\nIv\377an,ivan@x.example\n' >in/badutf8.csv
printf 'name,email\n\300\257,ivan@x.example\n' >in/overlong.csv
printf '\357\273\277name,email\nBOM Olga,bom@x.example\n' >in/bom.csv
printf 'name,email\r\nCRLF Olga,crlf@x.example\r\n' >in/crlf.csv
printf 'name,email\rCR Olga,cr@x.example\r' >in/lonecr.csv
for d in 0000-00-00 2026-02-30 2026-13-01 99999-01-01; do
	printf '%s\n%s,c1,call,\n' "$H" "$d" >"in/date-$d.csv"
done
i=0
for a in 1e309 NaN -0 1,5 12.345.678 ''; do
	i=$((i + 1))
	printf '%s\n2026-11-20,c1,purchase,"%s"\n' "$H" "$a" >"in/amount-$i.csv"
done
printf '%s\n2026-11-20,c99,call,\n' "$H" >in/no-such-id.csv
for f in '=HYPERLINK("http://evil.example","click")' '+cmd|calc' '-2+3' '@SUM(A1:A9)'; do
	printf '%s\n' "$f"
done >in/formulas.txt

test_expect_success 'a store with two Ivans to be ambiguous about' '
	crm-add -d store --name "Ivan Petrov" --email ivan.p@x.example >/dev/null &&
	crm-add -d store --name "Ivana Novak" --email ivana@x.example >/dev/null
'
export CRM_DIR=store
SQ="'"

# A case of the table: exit 0 means accepted, with nothing on stderr;
# anything else is a clean failure (test_fails_cleanly: the message
# exactly, nothing on stdout, the store byte for byte as it was).
test_fails_cleanly_or_ok () {
	code=$1 msg=$2
	shift 2
	if [ "$code" = 0 ]; then
		"$@" >.stdout 2>.stderr && test_must_be_empty .stderr
	else
		test_fails_cleanly "$code" "$msg" "$@"
	fi
}

# The table: what is run | exit status | exactly what it prints on stderr.
# Exit 0 with no message is a documented accepted value (crm(7)); the
# check after the table shows what was accepted.
cat >cases <<EOF
crm-add --import in/unterminated.csv|1|crm-add: in/unterminated.csv:2: unterminated quoted field
crm-add --import in/field10mb.csv|1|crm-add: in/field10mb.csv:2: note too long (10485760 bytes, at most 1048576)
crm-add --import in/cols100k.csv|0|
crm-add --import in/nul.csv|1|crm-add: in/nul.csv:2: NUL byte in the data
crm-add --import in/badutf8.csv|1|crm-add: in/badutf8.csv:2: invalid UTF-8 (byte 0xff at column 3)
crm-add --import in/overlong.csv|1|crm-add: in/overlong.csv:2: invalid UTF-8 (byte 0xc0 at column 1)
crm-add --import in/bom.csv|0|
crm-add --import in/crlf.csv|0|
crm-add --import in/lonecr.csv|0|
crm-log --import in/date-0000-00-00.csv|1|crm-log: in/date-0000-00-00.csv:2: invalid date ${SQ}0000-00-00${SQ}
crm-log --import in/date-2026-02-30.csv|1|crm-log: in/date-2026-02-30.csv:2: invalid date ${SQ}2026-02-30${SQ}
crm-log --import in/date-2026-13-01.csv|1|crm-log: in/date-2026-13-01.csv:2: invalid date ${SQ}2026-13-01${SQ}
crm-log --import in/date-99999-01-01.csv|1|crm-log: in/date-99999-01-01.csv:2: invalid date ${SQ}99999-01-01${SQ}
crm-log c1 call --next 2026-02-30|1|crm-log: invalid date ${SQ}2026-02-30${SQ}
crm-log --import in/amount-1.csv|1|crm-log: in/amount-1.csv:2: invalid amount ${SQ}1e309${SQ}
crm-log --import in/amount-2.csv|1|crm-log: in/amount-2.csv:2: invalid amount ${SQ}NaN${SQ}
crm-log --import in/amount-3.csv|0|
crm-log --import in/amount-4.csv|1|crm-log: in/amount-4.csv:2: invalid amount ${SQ}1,5${SQ} (use a decimal point and no thousands separator: 1234.50)
crm-log --import in/amount-5.csv|1|crm-log: in/amount-5.csv:2: invalid amount ${SQ}12.345.678${SQ} (use a decimal point and no thousands separator: 1234.50)
crm-log --import in/amount-6.csv|1|crm-log: in/amount-6.csv:2: a purchase needs an amount
crm-log c1 purchase --amount 1e309|1|crm-log: invalid amount ${SQ}1e309${SQ}
crm-log --import in/no-such-id.csv|1|crm-log: in/no-such-id.csv:2: no customer ${SQ}c99${SQ}
crm-log c99 call|1|crm-log: no customer ${SQ}c99${SQ}
crm-log --history ivan|1|crm-log: ${SQ}ivan${SQ} fits 2 customers: c1 (Ivan Petrov), c2 (Ivana Novak); give the id
crm-log ivan call|1|crm-log: ${SQ}ivan${SQ} fits 2 customers: c1 (Ivan Petrov), c2 (Ivana Novak); give the id
EOF

n=0
while IFS='|' read -r cmd code msg; do
	n=$((n + 1))
	test_expect_success "table $n: $cmd" "
		test_fails_cleanly_or_ok $code \"\$(sed -n ${n}p cases | cut -d'|' -f3-)\" $cmd
	"
done <cases

# The accepted ones, and what was accepted.
test_expect_success 'a header of 100,000 columns: the customer and every column kept' '
	crm-add --list --csv >out &&
	head -n 1 out | tr , "\n" | grep -c "^c[0-9]" >n &&
	echo 99999 >expect && test_cmp expect n &&
	grep -c "^c3,Wide," out
'

test_expect_success 'a byte-order mark is skipped, not part of the first column' '
	crm-add --list --csv | grep "^c[0-9]*,BOM Olga,.*bom@x.example"
'

test_expect_success 'CRLF and lone-CR line ends are line ends' '
	crm-add --list --csv | grep "^c[0-9]*,CRLF Olga,.*crlf@x.example" &&
	crm-add --list --csv | grep "^c[0-9]*,CR Olga,.*cr@x.example"
'

test_expect_success 'an amount of -0 is zero, kept as typed' '
	crm-log --list --type purchase --csv >out &&
	grep "^2026-11-20,c1,purchase,,-0," out &&
	crm-ltv --csv | grep "^c1,Ivan Petrov,.*,0.00,0.00$"
'

cat >check_safe.py <<'EOF'
import csv
notes = [r["note"] for r in csv.DictReader(open("safe.csv"))]
want = ["'" + l.rstrip("\n") for l in open("in/formulas.txt")]
assert notes == want, (notes, want)
EOF

test_expect_success 'formula-looking text is kept as text, and --safe neutralises it' '
	while IFS= read -r f; do
		crm-log c1 note -- "$f" || exit 1
	done <in/formulas.txt &&
	crm-log --list --type note --csv --safe >safe.csv &&
	$PY check_safe.py &&
	crm-log --list --type note --csv >plain.csv &&
	grep -F "=HYPERLINK(" plain.csv
'

test_expect_success 'no case hung or crashed: every one answered within the table' '
	test $n -ge 25
'

test_done
