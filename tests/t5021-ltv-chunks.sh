#!/bin/sh
test_description='a log of 1 MB or more cut into chunks of CRM_CHUNK bytes for two threads: cuts in quoted line breaks, blank lines, CR LF pairs and UTF-8 characters, and every error, give what one thread gives'
. "$(dirname "$0")/lib.sh"

unset CRM_THREADS CRM_CHUNK
SQ="'"

# Chunk sizes: the small ones put a cut after almost every line (and
# inside every quoted field that spans lines), the big ones a few.  The
# smaller the slower: 7 makes 170,000 chunks of the 1.2 MB log, and is
# tried on one log (1, a chunk a byte, took 3-8 s, and more under ASan).
ALL="7 64 333 4096 65536"
SOME="13 64 333 65536"
FEW="33 333 65536"
# For the loops over many logs.
ERR="333 4096 65536"

# two_ways CHUNKS CMD...: CMD with one thread (one.out, one.err, its
# exit status in one.rc), then with two, with the default chunk and
# with each size of CHUNKS: the same output, message and exit status.
two_ways () {
	chunks=$1
	shift
	env CRM_THREADS=1 "$@" >one.out 2>one.err
	echo $? >one.rc
	for chunk in default $chunks
	do
		if test $chunk = default
		then
			env CRM_THREADS=2 "$@" >two.out 2>two.err
		else
			env CRM_THREADS=2 CRM_CHUNK=$chunk "$@" >two.out 2>two.err
		fi
		echo $? >two.rc
		if ! test_cmp one.rc two.rc || ! test_cmp one.err two.err ||
			! test_cmp one.out two.out
		then
			echo "CRM_CHUNK=$chunk: two threads differ from one: $*" >&2
			return 1
		fi
	done
}

# same_output CHUNKS CMD...: CMD succeeds, silent on stderr, with some
# output (left in one.out), the same with two threads.
same_output () {
	two_ways "$@" &&
	echo 0 >zero.rc && test_cmp zero.rc one.rc &&
	test_must_be_empty one.err &&
	test -s one.out
}

# same_error CHUNKS CMD...: CMD fails with exit 1 and a one-line
# message (left in one.err), the same with two threads.
same_error () {
	two_ways "$@" &&
	echo 1 >one.want && test_cmp one.want one.rc &&
	test $(wc -l <one.err) -eq 1
}

# big_buys SPREAD: 9,300 purchases by cbig of the largest amount, on one
# day (SPREAD 0) or over many: their sum overflows at the 9,224th.
big_buys () {
	awk -v spread="$1" 'BEGIN { for (i = 0; i < 9300; i++)
		printf "2025-%02d-%02d,cbig,purchase,shop,9999999999999.99,,,,,tester,\n",
		    spread ? i % 12 + 1 : 6, spread ? i % 28 + 1 : 1 }'
}

# cents: the sum of the revenue column of a summary on stdin, in cents,
# after the number of rows.
cents () {
	awk -F, 'NR > 1 { v = $6; s = 1; if (v ~ /^-/) { s = -1; v = substr(v, 2) }
		split(v, a, "."); t += s * (a[1] * 100 + a[2]); n++ }
		END { printf "%d %d\n", n, t }'
}

test_expect_success 'setup: the generator of logs and the spoiler of records' '
	cat >gen.awk <<-\EOF &&
	# N records, numbered from I0 (0 when not given), of customers c1 to
	# c1499, with a header unless HDR=0, in the columns of ORDER (those of
	# log.csv when not given; a column extra holds the note), each line
	# ended by EOL (lf, crlf or cr), the line breaks in quoted notes by
	# INNER (EOL when not given), blank lines now and then when BLANK=1,
	# no line end after the last record when NOEOL=1.  Some notes hold,
	# inside their quotes, lines that look like records, good and bad, or
	# like a header, blank lines, lines of doubled quotes.  COUNT names a
	# file for what the log holds: the customers with a purchase or a
	# refund, their revenue in cents, the churn events, the customers who
	# churned and the complaints.
	function brk(s) { gsub(/\n/, ib, s); return s }
	BEGIN {
		if (order == "")
			order = "date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note"
		nc = split(order, col, ",")
		e = eol == "crlf" ? "\r\n" : eol == "cr" ? "\r" : "\n"
		ib = inner == "" ? e : inner == "crlf" ? "\r\n" : inner == "cr" ? "\r" : "\n"
		split("shop,phone,e-post,телефон,obchod,nettbutikk", chan, ",")
		q = "\""
		note[0] = ""
		note[1] = "ok"
		note[2] = q "said " q q "hi" q q ", then\nleft" q
		note[3] = q "Иван Петров: «перезвонить», после обеда\nв среду, в 15:00\nпо телефону" q
		note[4] = q "Tomáš Kováč, Žilina: čakáme na platbu,\nďakujem\n" q
		note[5] = "Blåbærsyltetøy og rømmegrøt på Ærø"
		note[6] = q "x\n2025-01-01,c1,purchase,shop,5.00,,,,,t,\ny" q
		note[7] = q "x\n2025-06-15,c3,purchase,shop,5.00,,,,,t," q q "\ny" q
		note[8] = q "to be continued\n" q
		note[9] = q "\n\n\nthree blank lines, then two\n\n" q
		note[10] = q "a\n" q q ",b\n" q q "\n" q q q q ",\n" q
		note[11] = q "ø\nж\nč\nå, " q q "quoted" q q ", ß\n€ 5,00\n日本語\n🙂" q
		note[12] = q "x\ndate,customer,type,channel,amount,outcome,next,next_action,assignee,by,note\nhead" q
		note[13] = q "2025-03-01,c2,refund,shop,1.00,,,,,t,\n2025-03-02,c2,refund,shop,2.00,,,,,t,\n" \
		    "2025-03-03,c4,purchase,,3.00,,,,,t," q q "a" q q "\n2025-03-04,c5,churn,,,price,,,,t,\n" q
		note[14] = q "x\n2025-13-45,c1,purchase,shop,5.x0,,,,,t,\nz" q
		note[15] = q "x\n2025-01-01,c1,purchase,shop,5.00,,,,,t,,,,\n" q q q q "\n,,," q
		if (hdr != "0")
			printf "%s%s", order, e
		for (i = i0 + 0; i < i0 + n; i++) {
			c = "c" (i * 7919) % 1499 + 1
			t = i % 10 == 0 ? "refund" : i % 3 ? "purchase" : "call"
			if (i % 97 == 0)
				t = "churn"
			else if (i % 89 == 0)
				t = "complaint"
			f["customer"] = c
			f["date"] = sprintf("2025-%02d-%02d", i % 12 + 1, i % 28 + 1) \
			    (i % 37 == 0 ? "T10:15" : "")
			f["type"] = t
			f["channel"] = chan[i % 6 + 1]
			f["amount"] = f["outcome"] = ""
			if (t == "purchase" || t == "refund") {
				f["amount"] = sprintf("%d.%02d", i % 997, i % 100)
				buyer[c]
				cents += (t == "refund" ? -1 : 1) * (i % 997 * 100 + i % 100)
			} else if (t == "churn") {
				f["outcome"] = i % 2 ? "price" : q "too dear, they said: " q q "no" q q q
				churner[c]
				churns++
			} else if (t == "complaint") {
				f["outcome"] = "odišiel ku konkurencii"
				complaints++
			}
			f["by"] = i % 5 ? "tester" : "Åse"
			f["note"] = f["extra"] = brk(note[i % 16])
			line = f[col[1]]
			for (k = 2; k <= nc; k++)
				line = line "," f[col[k]]
			if (i == i0 + n - 1) {
				printf "%s%s", line, noeol ? "" : e
				break
			}
			printf "%s%s", line, e
			if (blank && i % 13 == 5)
				printf "%s", e
			if (blank && i % 101 == 7)
				printf "%s%s%s", e, e, e
		}
		if (count != "") {
			for (c in buyer)
				buyers++
			for (c in churner)
				churned++
			printf "%d %d\n%d %d %d\n", buyers, cents, churns, churned, complaints >count
		}
	}
	EOF
	cat >spoil.awk <<-\EOF &&
	# FILE, given twice, with one record made bad, as a record of
	# customer cBAD: the last record that starts at or before byte AT
	# (the first one when none does; a record starts on a line neither
	# blank nor inside quotes), with MULTI=1 the last such that goes on
	# past its first line.  Its fields up to the amount are never quoted.
	# KIND: date, amount (an invalid one), many (a field too many),
	# noamount (a purchase without one), utf8 (a byte 0xff in the
	# channel), quote (a stray quote in the channel), unterm (a quote
	# opened and never closed: every quote after it is removed); utf8in
	# puts the byte 0xff at the end of the second line of such a record
	# instead.  WHERE names a file for the byte offset of the line made
	# bad.
	NR == FNR {
		start = FNR > 1 && !inq && $0 != "" && $0 != "\r"
		odd = gsub(/"/, "&") % 2
		want = kind == "utf8in" ? second : start && (multi == "" || odd)
		if (want && (off <= at + 0 || !pick)) {
			pick = FNR
			o = off
		}
		second = start && odd
		if (odd)
			inq = !inq
		off += length($0) + 1
		next
	}
	FNR == pick {
		if (where != "")
			print o >where
		cr = sub(/\r$/, "") ? "\r" : ""
		if (kind == "utf8in") {
			print $0 "\377" cr
			next
		}
		p = 0
		for (k = 1; k <= 5; k++) {
			c = index(substr($0, p + 1), ",")
			f[k] = substr($0, p + 1, c - 1)
			p += c
		}
		rest = substr($0, p + 1)
		f[2] = "cBAD"
		if (kind == "date")
			f[1] = "2025-02-30"
		else if (kind == "amount") {
			f[3] = "purchase"
			f[5] = "12.3.4"
		} else if (kind == "many")
			f[2] = f[2] ",x"
		else if (kind == "noamount") {
			f[3] = "purchase"
			f[5] = ""
		} else if (kind == "utf8")
			f[4] = "sh\377p"
		else if (kind == "quote")
			f[4] = "sh\"op"
		else if (kind == "unterm")
			rest = "\"never closed"
		print f[1] "," f[2] "," f[3] "," f[4] "," f[5] "," rest cr
		next
	}
	kind == "unterm" && FNR > pick {
		gsub(/"/, "")
	}
	{ print }
	EOF
	cat >offsets.awk <<-\EOF &&
	# The byte offsets, in a log of LF line ends, of the first line at
	# or after byte FROM of each kind that a chunk must not take for the
	# start of a record: lines inside quotes that look like records
	# (good, bad, with an empty quoted field), like a header, that start
	# with a quote, that are empty; and a byte inside a character of two
	# bytes and inside one of four.
	BEGIN {
		p[1] = "^2025-01-01,c1,purchase,shop,5[.]00,,,,,t,$"
		p[2] = "^2025-06-15,c3,purchase,shop,5[.]00,,,,,t,\"\"$"
		p[3] = "^2025-13-45,"
		p[4] = "^2025-03-02,c2,refund,"
		p[5] = "^2025-01-01,c1,purchase,shop,5[.]00,,,,,t,,,,$"
		p[6] = "^date,customer,"
		p[7] = "^\"\",b$"
		p[8] = "^\"\"\"\",$"
		p[9] = "^\"$"
		p[10] = "^y\"$"
		p[11] = "^$"
		p[12] = "^ж$"
		p[13] = "^🙂"
		np = 13
		plus[12] = 1
		plus[13] = 2
	}
	off >= from + 0 {
		for (k = 1; k <= np; k++)
			if (!(k in got) && $0 ~ p[k])
				got[k] = off + plus[k]
	}
	{ off += length($0) + 1 }
	END {
		for (k = 1; k <= np; k++)
			if (k in got)
				print got[k]
	}
	EOF
	awk "BEGIN { print \"id\"; for (i = 1; i <= 1499; i++) print \"c\" i;
		print \"cbig\"; print \"nobody\" }" >cust.csv
'

# 1. Notes with commas, doubled quotes and line breaks inside quotes.

test_expect_success 'a log of 1.2 MB: quoted notes over lines, some lines in them like records' '
	LC_ALL=C awk -v n=12002 -v count=log.count -f gen.awk >log.csv &&
	size=$(wc -c <log.csv) &&
	test $size -gt 1048576 && test $size -lt 1400000 &&
	test $(grep -c "^2025-01-01,c1,purchase,shop,5.00,,,,,t,\$" log.csv) -gt 500 &&
	test $(grep -c "^2025-06-15,c3,purchase,shop,5.00,,,,,t,\"\"\$" log.csv) -gt 500 &&
	test $(grep -c "^\$" log.csv) -gt 2000 &&
	test $(grep -c "^\"\$" log.csv) -gt 1000 &&
	test $(grep -c "Иван Петров" log.csv) -gt 500 &&
	test $(grep -c "Blåbærsyltetøy" log.csv) -gt 500 &&
	test $(grep -c "Tomáš Kováč, Žilina" log.csv) -gt 500
'

test_expect_success 'the summary: the same for every chunk size, as the generator counted' '
	same_output "$ALL" crm-ltv --summary --end 2025-12-31 log.csv &&
	cp one.out plain.csv &&
	test $(wc -l <plain.csv) -eq 1500 &&
	head -1 log.count >expect &&
	cents <plain.csv >got &&
	test_cmp expect got
'

test_expect_success 'the summary, cut exactly at lines in quotes that look like records, and inside characters' '
	LC_ALL=C awk -v from=600000 -f offsets.awk log.csv >cuts &&
	test $(wc -l <cuts) -eq 13 &&
	for cut in $(cat cuts)
	do
		same_output "$cut $((cut - 1)) $((cut + 1))" \
			crm-ltv --summary --end 2025-12-31 log.csv &&
		test_cmp plain.csv one.out || exit 1
	done
'

test_expect_success 'RFM, the lifecycle with churn events, the reasons: the same, as the generator counted' '
	sed -n 2p log.count >counts &&
	read churns churned complaints <counts &&
	same_output "$SOME" crm-segment --rfm --today 2026-01-01 --log log.csv cust.csv &&
	test $(wc -l <one.out) -eq 1502 &&
	test $(grep -c ",[1-5][1-5][1-5]," one.out) -eq 1499 &&
	same_output "$FEW" crm-segment --lifecycle --today 2026-01-01 --log log.csv cust.csv &&
	test $(wc -l <one.out) -eq 1502 &&
	test $(awk -F, "NR > 1 && \$NF != \"\"" one.out | wc -l) -eq $churned &&
	same_output "$FEW" crm-segment --lifecycle --summary --today 2026-01-01 --log log.csv cust.csv &&
	test $(wc -l <one.out) -gt 3 &&
	same_output "$FEW" crm-segment --rfm --summary --today 2026-01-01 --log log.csv cust.csv &&
	test $(wc -l <one.out) -gt 5 &&
	same_output "$FEW" crm-segment --reasons --today 2026-01-01 --log log.csv cust.csv &&
	test $(awk -F, "\$1 == \"churn\" { n += \$(NF - 3) } END { print n }" one.out) -eq $churns &&
	test $(awk -F, "\$1 == \"complaint\" { n += \$(NF - 3) } END { print n }" one.out) -eq $complaints
'

# 2. Blank lines.

test_expect_success 'blank lines, one or several in a row: the same, and as without them' '
	LC_ALL=C awk -v n=12002 -v blank=1 -f gen.awk >blank.csv &&
	test $(wc -c <blank.csv) -gt 1048576 &&
	awk "/^\$/ { b++; if (b == 3) runs++; next } { b = 0 } END { print runs }" blank.csv >runs &&
	test $(cat runs) -gt 100 &&
	same_output "$SOME" crm-ltv --summary --end 2025-12-31 blank.csv &&
	test_cmp plain.csv one.out &&
	same_output "$FEW" crm-segment --rfm --today 2026-01-01 --log blank.csv cust.csv &&
	test $(wc -l <one.out) -eq 1502
'

# 3. CR LF pairs and lone CRs (a line end too).

test_expect_success 'CR LF line ends throughout, in quotes and blank lines too: the same, and as with LF' '
	LC_ALL=C awk -v n=12002 -v eol=crlf -v blank=1 -f gen.awk >crlf.csv &&
	test $(wc -c <crlf.csv) -gt 1048576 &&
	test $(tr -cd "\r" <crlf.csv | wc -c) -eq $(wc -l <crlf.csv) &&
	same_output "$SOME" crm-ltv --summary --end 2025-12-31 crlf.csv &&
	test_cmp plain.csv one.out &&
	same_output "$FEW" crm-segment --lifecycle --today 2026-01-01 --log crlf.csv cust.csv &&
	test $(wc -l <one.out) -eq 1502
'

test_expect_success 'CR LF pairs inside quoted notes of a log of LF line ends: the same' '
	LC_ALL=C awk -v n=12002 -v inner=crlf -f gen.awk >inner.csv &&
	test $(wc -c <inner.csv) -gt 1048576 &&
	test $(grep -c "^2025-01-01,c1,purchase,shop,5.00,,,,,t,$(printf "\r")\$" inner.csv) -gt 500 &&
	same_output "$SOME" crm-ltv --summary --end 2025-12-31 inner.csv &&
	test_cmp plain.csv one.out
'

test_expect_success 'lone CRs as line ends, blank lines too, without a single LF: the same' '
	LC_ALL=C awk -v n=12002 -v eol=cr -v blank=1 -f gen.awk >cr.csv &&
	test $(wc -c <cr.csv) -gt 1048576 &&
	test $(wc -l <cr.csv) -eq 0 &&
	same_output "$SOME" crm-ltv --summary --end 2025-12-31 cr.csv &&
	test_cmp plain.csv one.out
'

test_expect_success 'errors in logs of CR LF, of lone CRs, and of lone CRs in quotes: the same line' '
	LC_ALL=C awk -v at=1048576 -v kind=date -f spoil.awk crlf.csv crlf.csv >bad.csv &&
	line=$(grep -an "^[^,]*,cBAD," bad.csv | cut -d: -f1) &&
	test $line -gt 30000 &&
	same_error "$SOME" crm-ltv --summary bad.csv &&
	grep "^crm-ltv: bad.csv:$line: invalid date .2025-02-30.\$" one.err &&
	LC_ALL=C awk -v at=900000 -v kind=unterm -f spoil.awk crlf.csv crlf.csv >bad.csv &&
	line=$(grep -an "^[^,]*,cBAD," bad.csv | cut -d: -f1) &&
	same_error "$FEW" crm-ltv --summary bad.csv &&
	grep "^crm-ltv: bad.csv:$line: unterminated quoted field\$" one.err &&
	for kind in date unterm
	do
		LC_ALL=C awk -v at=1000000 -v kind=$kind -f spoil.awk log.csv log.csv >bad.lf &&
		line=$(grep -an "^[^,]*,cBAD," bad.lf | cut -d: -f1) &&
		tr "\n" "\r" <bad.lf >bad.csv &&
		test $(wc -l <bad.csv) -eq 0 &&
		same_error "$ERR" crm-ltv --summary bad.csv &&
		grep "^crm-ltv: bad.csv:$line: " one.err || exit 1
	done &&
	LC_ALL=C awk -v n=12002 -v inner=cr -f gen.awk >incr.csv &&
	LC_ALL=C awk -v at=1100000 -v kind=amount -f spoil.awk incr.csv incr.csv >bad.csv &&
	line=$(tr "\r" "\n" <bad.csv | grep -an "^[^,]*,cBAD," | cut -d: -f1) &&
	test $line -gt $(grep -an "^[^,]*,cBAD," bad.csv | cut -d: -f1) &&
	same_error "$SOME" crm-ltv --summary bad.csv &&
	grep "^crm-ltv: bad.csv:$line: invalid amount .12[.]3[.]4. " one.err
'

# 4. Every error, early, in the middle, about multiples of the chunk
# sizes (and of the default 1 MB), and in the last line.

for kind in date amount many noamount utf8 utf8in quote unterm
do
	test_expect_success "an error ($kind) at six places: the message and line of one thread" '
		kind='$kind' &&
		size=$(wc -c <log.csv) &&
		last=$(wc -l <log.csv) &&
		case $kind in
		date) msg="invalid date .2025-02-30.\$" ;;
		amount) msg="invalid amount .12[.]3[.]4. (use a decimal point" ;;
		many) msg="12 fields where the header has 11\$" ;;
		noamount) msg="a purchase without an amount\$" ;;
		utf8*) msg="invalid UTF-8 (byte 0xff at column" ;;
		quote) msg="malformed quoted field (a quote inside a field must be doubled" ;;
		unterm) msg="unterminated quoted field\$" ;;
		esac &&
		for at in 0 $((size / 2)) 524288 864256 1048576 $size
		do
			LC_ALL=C awk -v at=$at -v kind=$kind -f spoil.awk log.csv log.csv >bad.csv &&
			test $(wc -c <bad.csv) -gt 1048576 &&
			if test $kind = utf8in || test $kind = utf8
			then
				LC_ALL=C grep -an "$(printf "\377")" bad.csv >hits
			else
				grep -an "^[^,]*,cBAD," bad.csv >hits
			fi &&
			test $(wc -l <hits) -eq 1 &&
			line=$(cut -d: -f1 hits) &&
			case $at in
			0) test $line -le 9 ;;
			$size) test $kind = utf8in || test $line -eq $last ;;
			*) test $line -gt 15000 ;;
			esac &&
			same_error "$ERR" crm-ltv --summary bad.csv &&
			grep "^crm-ltv: bad.csv:$line: $msg" one.err || exit 1
			case $kind in
			utf8*)
				col=$(LC_ALL=C awk -v l=$line "NR == l { print index(\$0, \"\377\") }" bad.csv) &&
				grep "at column $col)\$" one.err || exit 1
				;;
			esac
		done &&
		LC_ALL=C awk -v at=$((size / 2)) -v kind=$kind -f spoil.awk log.csv log.csv >bad.csv &&
		same_error "$ERR" crm-segment --rfm --today 2026-01-01 --log bad.csv cust.csv &&
		grep "^crm-segment: bad.csv:[0-9]*: $msg" one.err
	'
done

test_expect_success 'an error in a record over lines, the chunk cut exactly at its start or in its quotes' '
	for kind in date many noamount quote unterm utf8in
	do
		for at in 700000 1048576
		do
			LC_ALL=C awk -v at=$at -v kind=$kind -v multi=1 -v where=where \
				-f spoil.awk log.csv log.csv >bad.csv &&
			o=$(cat where) &&
			line=$(($(head -c $o bad.csv | wc -l) + 1)) &&
			o2=$(LC_ALL=C awk -v l=$line -v o=$o "NR == l { print o + length(\$0) + 1 }" bad.csv) &&
			test $(tail -c +$((o2 + 1)) bad.csv | wc -c) -gt 0 &&
			same_error "$o $((o - 1)) $((o + 1)) $o2 $((o2 - 1))" crm-ltv --summary bad.csv &&
			if test $kind = utf8in
			then
				grep "^crm-ltv: bad.csv:$line: invalid UTF-8 (byte 0xff at column" one.err
			else
				grep "^crm-ltv: bad.csv:$line: .*[a-z]" one.err
			fi || exit 1
		done
	done
'

# 5. An overflow of one customer's sum.

test_expect_success 'an overflow in the middle and a bad date after it: the overflow, as one thread' '
	for spread in 0 1
	do
		LC_ALL=C awk -v n=4000 -f gen.awk >over.csv &&
		line=$(($(wc -l <over.csv) + 9224)) &&
		big_buys $spread >>over.csv &&
		LC_ALL=C awk -v n=1000 -v i0=4000 -v hdr=0 -f gen.awk >>over.csv &&
		echo "2025-02-30,c78,call,phone,,,,,,tester," >>over.csv &&
		LC_ALL=C awk -v n=1002 -v i0=5000 -v hdr=0 -f gen.awk >>over.csv &&
		test $(wc -c <over.csv) -gt 1048576 &&
		same_error "$SOME" crm-ltv --summary over.csv &&
		grep "^crm-ltv: over.csv:$line: the sum of amounts of customer .cbig. is too large\$" one.err &&
		for how in --rfm --lifecycle
		do
			same_error "$ERR" crm-segment $how --today 2026-01-01 --log over.csv cust.csv &&
			grep "^crm-segment: over.csv:$line: .*customer .cbig. is too large\$" one.err || exit 1
		done || exit 1
	done
'

test_expect_success 'a bad date before an overflow: the bad date' '
	LC_ALL=C awk -v n=4000 -f gen.awk >over.csv &&
	echo "2025-02-30,c78,call,phone,,,,,,tester," >>over.csv &&
	line=$(wc -l <over.csv) &&
	big_buys 1 >>over.csv &&
	LC_ALL=C awk -v n=2002 -v i0=4000 -v hdr=0 -f gen.awk >>over.csv &&
	same_error "$FEW" crm-ltv --summary over.csv &&
	grep "^crm-ltv: over.csv:$line: invalid date .2025-02-30.\$" one.err
'

# 6. The end of the log.

test_expect_success 'no line end after the last record, which is plain or quoted over lines: the same' '
	for n in 12002 12003 12009
	do
		LC_ALL=C awk -v n=$n -f gen.awk >end.csv &&
		LC_ALL=C awk -v n=$n -v noeol=1 -f gen.awk >noeol.csv &&
		test $(($(wc -c <end.csv) - $(wc -c <noeol.csv))) -eq 1 &&
		same_output "$ERR" crm-ltv --summary --end 2025-12-31 end.csv &&
		cp one.out end.out &&
		test $(wc -l <end.out) -eq 1500 &&
		same_output "$ERR" crm-ltv --summary --end 2025-12-31 noeol.csv &&
		test_cmp end.out one.out &&
		same_output "$ERR" crm-segment --rfm --today 2026-01-01 --log noeol.csv cust.csv &&
		test $(wc -l <one.out) -eq 1502 || exit 1
	done &&
	printf "\n\"" >want &&
	tail -c 2 noeol.csv | cmp - want &&
	LC_ALL=C awk -v n=12009 -v noeol=1 -v eol=crlf -f gen.awk >noeol.csv &&
	same_output "$SOME" crm-ltv --summary --end 2025-12-31 noeol.csv &&
	test $(wc -l <one.out) -eq 1500
'

# 7. The store's own log, whole and torn.

TORN="incomplete last record (cut short by a crash?); ${SQ}crm-log --repair${SQ} moves it aside"

test_expect_success 'a store whose log is over 1 MB: the summary as of the same log given as a file' '
	CRM_DIR=store && export CRM_DIR &&
	awk "BEGIN { print \"name\"; for (i = 1; i <= 1499; i++) print \"Kunde \" i }" >names.csv &&
	crm-add --import names.csv >ids &&
	test $(wc -l <ids) -eq 1499 &&
	crm-log --import log.csv &&
	cmp log.csv store/log.csv &&
	same_output "$SOME" crm-ltv --summary --end 2025-12-31 &&
	test_cmp plain.csv one.out &&
	same_output "$FEW" crm-segment --rfm --today 2026-01-01 &&
	test $(wc -l <one.out) -eq 1500
'

test_expect_success 'a torn last record in the store: the same message, naming its line' '
	CRM_DIR=store && export CRM_DIR &&
	cp store/log.csv whole.csv &&
	line=$(($(wc -l <whole.csv) + 1)) &&
	for frag in "2026-11-23,c1,ca" \
		"2026-11-23,c1,note,,,,,,,tester,\"open quote$(printf "\n\nand")" \
		"2026-11-23,c1,note,,,,,,,tester,\"line one$(printf "\n.")" \
		"2026-11-23,c1,note,,,,,,,tester,\"complete\""
	do
		cp whole.csv store/log.csv &&
		printf "%s" "$frag" >>store/log.csv &&
		same_error "$ERR" crm-ltv --summary &&
		echo "crm-ltv: store/log.csv:$line: $TORN" >expect &&
		test_cmp expect one.err &&
		same_error "$ERR" crm-segment --rfm --today 2026-01-01 &&
		echo "crm-segment: store/log.csv:$line: $TORN" >expect &&
		test_cmp expect one.err || exit 1
	done &&
	cp whole.csv store/log.csv &&
	printf "2026-11-23,c1,note,,,,,,,tester,\"line one\n" >>store/log.csv &&
	same_error "$FEW" crm-ltv --summary &&
	echo "crm-ltv: store/log.csv:$line: $TORN" >expect &&
	test_cmp expect one.err &&
	cp whole.csv store/log.csv
'

# 8. A byte-order mark, and other columns in another order.

test_expect_success 'a UTF-8 byte-order mark before the header: the same, and as without it' '
	{ printf "\357\273\277" && cat log.csv; } >bom.csv &&
	same_output "$FEW" crm-ltv --summary --end 2025-12-31 bom.csv &&
	test_cmp plain.csv one.out &&
	same_output "$ERR" crm-segment --rfm --today 2026-01-01 --log bom.csv cust.csv &&
	test $(wc -l <one.out) -eq 1502 &&
	LC_ALL=C awk -v at=1048576 -v kind=date -f spoil.awk log.csv log.csv >bad.csv &&
	line=$(grep -an "^[^,]*,cBAD," bad.csv | cut -d: -f1) &&
	{ printf "\357\273\277" && cat bad.csv; } >bombad.csv &&
	same_error "$FEW" crm-ltv --summary bombad.csv &&
	grep "^crm-ltv: bombad.csv:$line: invalid date" one.err
'

test_expect_success 'columns customer,date,amount,type,extra; renamed; without a header: the same' '
	cols=customer,date,amount,type,extra &&
	LC_ALL=C awk -v n=15002 -v order=$cols -f gen.awk >cols.csv &&
	test $(wc -c <cols.csv) -gt 1048576 &&
	LC_ALL=C awk -v n=15002 -v count=cols.count -f gen.awk >same.csv &&
	env CRM_THREADS=1 crm-ltv --summary --end 2025-12-31 same.csv >expect &&
	same_output "$SOME" crm-ltv --summary --end 2025-12-31 cols.csv &&
	test_cmp expect one.out &&
	head -1 cols.count >count &&
	cents <one.out >got &&
	test_cmp count got &&
	{ printf "\357\273\277" && cat cols.csv; } >bomcols.csv &&
	same_output "$ERR" crm-ltv --summary --end 2025-12-31 bomcols.csv &&
	test_cmp expect one.out &&
	same_output "$ERR" crm-segment --lifecycle --today 2026-01-01 --log cols.csv cust.csv &&
	env CRM_THREADS=1 crm-segment --lifecycle --today 2026-01-01 --log same.csv cust.csv >expect.seg &&
	test_cmp expect.seg one.out &&
	sed "1s/.*/who,when,sum,kind,extra/" cols.csv >named.csv &&
	same_output "$ERR" crm-ltv --summary --end 2025-12-31 --customer-col who \
		--date-col when --amount-col sum --type-col kind named.csv &&
	test_cmp expect one.out &&
	sed 1d cols.csv >bare.csv &&
	same_output "$ERR" crm-ltv --summary --end 2025-12-31 --columns $cols bare.csv &&
	test_cmp expect one.out &&
	echo "c1,2025-02-30,1.00,purchase,last" >>bare.csv &&
	same_error "$FEW" crm-ltv --summary --columns $cols bare.csv &&
	grep "^crm-ltv: bare.csv:$(wc -l <bare.csv): invalid date .2025-02-30.\$" one.err
'

test_expect_success 'a quoted note whose lines read as records, and no quote after it for 2 MB: the same' '
	# The first line of each note spans a cut of 64 KB chunks (and so of
	# 4 KB ones): the guess is the next line, which reads as a record,
	# and the note ends in a quote that opens a field to the file end.
	awk "function put(s) { printf \"%s\", s; n += length(s) }
	BEGIN {
		put(\"date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note\n\")
		from = n
		k = 1
		for (i = 0; i < 60000; i++) {
			if (k <= 4 && n + 60 > from + k * 65536) {
				put(\"2025-05-05,c7,call,phone,,,,,,t,\\\"a note of some length\n\")
				put(\"2025-03-01,c2,refund,shop,1.00,,,,,t,\n\")
				put(\"2025-03-02,c2,refund,shop,2.00,,,,,t,\n\\\"\n\")
				k++
			}
			put(sprintf(\"2025-%02d-%02d,c%d,purchase,shop,%d.%02d,,,,,t,\n\", i % 12 + 1, i % 28 + 1, i % 1499 + 1, i % 997, i % 100))
		}
	}" >trap.csv &&
	test $(wc -c <trap.csv) -gt 2097152 &&
	test $(grep -c "\"" trap.csv) -eq 8 &&
	same_output "4096 65536" crm-ltv --summary --end 2025-12-31 trap.csv &&
	test $(wc -l <one.out) -eq 1500 &&
	sed "\$s/^2025-/2025-13-/" trap.csv >trapbad.csv &&
	same_error "4096 65536" crm-ltv --summary --end 2025-12-31 trapbad.csv &&
	grep "trapbad.csv:$(wc -l <trapbad.csv): invalid date" one.err
'

test_done
