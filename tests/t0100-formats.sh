#!/bin/sh
test_description='input formats every tool reads: CSV with LF, CRLF, lone CR, a BOM, quoted line breaks; JSON Lines; from a file, stdin and -'
. "$(dirname "$0")/lib.sh"

SQ="'"

# The same three customers in every form.  The notes column is the
# user's own, so it may hold a line break and blanks at its ends.
#   customers EOL BOM: CSV with line ends EOL (printf escapes) and a
#   byte-order mark when BOM is 1.  The line break inside the quoted
#   field is always a LF: it is data, not a line end.
customers () {
	[ "$2" = 1 ] && printf "\357\273\277"
	printf "name,company,email,notes$1"
	printf "Ivan Petrov,\"Acme, Inc.\",ivan@x.example,\"two\nlines\"$1"
	printf "Bjørn Ødegård,\"Øl \"\"og\"\" Brød\",,\"  blanks kept  \"$1"
	printf "Ľubomír Šťastný,,l@x.example,$1"
}

customers_jsonl () {
	[ "$2" = 1 ] && printf "\357\273\277"
	printf "{\"name\":\"Ivan Petrov\",\"company\":\"Acme, Inc.\",\"email\":\"ivan@x.example\",\"notes\":\"two\\\\nlines\"}$1"
	printf "$1"
	printf "{\"name\":\"Bjørn Ødegård\",\"company\":\"Øl \\\\\"og\\\\\" Brød\",\"notes\":\"  blanks kept  \"}$1"
	printf "   {\"email\":\"l@x.example\",\"name\":\"Ľubomír Šťastný\",\"notes\":\"\"}$1"
}

events () {
	[ "$2" = 1 ] && printf "\357\273\277"
	printf "date,customer,type,amount,note$1"
	printf "2026-11-20,c1,purchase,12.50,\"two\nlines, quoted \"\"here\"\"\"$1"
	printf "2026-11-21,Bjørn,call,,  blanks kept  $1"
	printf "2026-11-22,l@x.example,note,,$1"
}

events_jsonl () {
	[ "$2" = 1 ] && printf "\357\273\277"
	printf "{\"date\":\"2026-11-20\",\"customer\":\"c1\",\"type\":\"purchase\",\"amount\":\"12.50\",\"note\":\"two\\\\nlines, quoted \\\\\"here\\\\\"\"}$1"
	printf "{\"date\":\"2026-11-21\",\"customer\":\"Bjørn\",\"type\":\"call\",\"note\":\"  blanks kept  \"}$1"
	printf "$1"
	printf "{\"type\":\"note\",\"date\":\"2026-11-22\",\"customer\":\"l@x.example\"}$1"
}

test_expect_success 'the reference: customers from plain LF CSV' '
	customers "\n" 0 >ref.csv &&
	crm-add -d ref --import ref.csv >ids &&
	printf "%s\n" c1 c2 c3 >expect && test_cmp expect ids &&
	cat >expect <<-\EOF &&
	id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created,notes
	c1,Ivan Petrov,"Acme, Inc.",ivan@x.example,,tester,,,,,,,2026-11-23,"two
	lines"
	c2,Bjørn Ødegård,"Øl ""og"" Brød",,,tester,,,,,,,2026-11-23,  blanks kept  
	c3,Ľubomír Šťastný,,l@x.example,,tester,,,,,,,2026-11-23,
	EOF
	test_cmp expect ref/customers.csv
'

test_expect_success 'the reference: events from plain LF CSV' '
	events "\n" 0 >ref-ev.csv &&
	crm-log -d ref --import ref-ev.csv &&
	cat >expect <<-\EOF &&
	date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note
	2026-11-20,c1,purchase,,12.50,,,,,tester,"two
	lines, quoted ""here"""
	2026-11-21,c2,call,,,,,,,tester,  blanks kept  
	2026-11-22,c3,note,,,,,,,tester,
	EOF
	test_cmp expect ref/log.csv
'

n=0
for form in lf:customers:'\n':0 crlf:customers:'\r\n':0 cr:customers:'\r':0 \
	bom-lf:customers:'\n':1 bom-crlf:customers:'\r\n':1 bom-cr:customers:'\r':1 \
	jsonl:customers_jsonl:'\n':0 jsonl-crlf-bom:customers_jsonl:'\r\n':1
do
	name=${form%%:*} rest=${form#*:}
	gen=${rest%%:*} rest=${rest#*:}
	eol=${rest%%:*} bom=${rest#*:}
	for way in file stdin dash; do
		n=$((n + 1))
		test_expect_success "crm-add --import: $name from $way" "
			$gen '$eol' $bom >in-$n &&
			case $way in
			file) crm-add -d s$n --import in-$n >ids ;;
			stdin) crm-add -d s$n --import <in-$n >ids ;;
			dash) crm-add -d s$n --import - <in-$n >ids ;;
			esac &&
			printf '%s\n' c1 c2 c3 >expect && test_cmp expect ids &&
			cmp ref/customers.csv s$n/customers.csv
		"
	done
	ev=$(echo "$gen" | sed 's/customers/events/')
	n=$((n + 1))
	test_expect_success "crm-log --import: $name" "
		crm-add -d s$n --import ref.csv >/dev/null &&
		$ev '$eol' $bom >in-$n &&
		crm-log -d s$n --import in-$n &&
		cmp ref/log.csv s$n/log.csv
	"
done

test_expect_success 'no final line end' '
	customers "\n" 0 | head -c -1 >noeol.csv &&
	test "$(tail -c 1 noeol.csv)" = "," &&
	crm-add -d noeol --import noeol.csv >/dev/null &&
	cmp ref/customers.csv noeol/customers.csv &&
	events "\r\n" 0 | head -c -2 >noeol-ev.csv &&
	crm-log -d noeol --import noeol-ev.csv &&
	cmp ref/log.csv noeol/log.csv
'

test_expect_success 'blank lines between rows are skipped; mixed line ends' '
	printf "\r\nname,company,email,notes\r\n\nIvan Petrov,\"Acme, Inc.\",ivan@x.example,\"two\nlines\"\r\r\rBjørn Ødegård,\"Øl \"\"og\"\" Brød\",,\"  blanks kept  \"\n\n\r\nĽubomír Šťastný,,l@x.example,\r\n\r\n" >mixed.csv &&
	crm-add -d mixed --import mixed.csv >/dev/null &&
	cmp ref/customers.csv mixed/customers.csv
'

test_expect_success 'JSON Lines: keys in any order, absent keys, null' '
	printf "%s\n" "{\"notes\":\"two\\nlines\",\"email\":\"ivan@x.example\",\"company\":\"Acme, Inc.\",\"name\":\"Ivan Petrov\"}" \
		"{\"name\":\"Bjørn Ødegård\",\"email\":null,\"company\":\"Øl \\\"og\\\" Brød\",\"notes\":\"  blanks kept  \"}" \
		"{\"name\":\"Ľubomír Šťastný\",\"email\":\"l@x.example\"}" >order.jsonl &&
	crm-add -d order --import order.jsonl >/dev/null &&
	cmp ref/customers.csv order/customers.csv
'

test_expect_success 'a CRLF or BOM store file written by hand is read' '
	mkdir -p hand && chmod 700 hand &&
	printf "\357\273\277id,name\r\nc1,Hand Made\r\n" >hand/customers.csv &&
	printf "\357\273\277date,customer,type,by\r\n2026-11-20,c1,call,eva\r\n" >hand/log.csv &&
	chmod 600 hand/customers.csv hand/log.csv &&
	crm-log -d hand --history c1 --csv >out &&
	printf "%s\n" date,customer,type,by 2026-11-20,c1,call,eva >expect &&
	test_cmp expect out &&
	crm-log -d hand c1 email &&
	crm-log -d hand --list | tail -n 1 >got &&
	echo 2026-11-23,c1,email,tester >expect && test_cmp expect got
'

test_expect_success 'bad input in each format names the line' '
	printf "name\r\nA\r\nB\377\r\n" >bad-crlf.csv &&
	test_fails_cleanly 1 "crm-add: bad-crlf.csv:3: invalid UTF-8 (byte 0xff at column 2)" \
		crm-add --import bad-crlf.csv &&
	printf "name\rA\r\"B\r" >bad-cr.csv &&
	test_fails_cleanly 1 "crm-add: bad-cr.csv:3: unterminated quoted field" \
		crm-add --import bad-cr.csv &&
	printf "\357\273\277name,email\nA,a@x.example\nB\n" >bad-bom.csv &&
	test_fails_cleanly 1 "crm-add: bad-bom.csv:3: 1 field where the header has 2" \
		crm-add --import bad-bom.csv &&
	printf "{\"name\":\"A\"}\r\n{\"name\":\"B\",}\r\n" >bad.jsonl &&
	test_fails_cleanly 1 "crm-add: bad.jsonl:2: invalid JSON: string or ${SQ}}${SQ} expected near ${SQ}}${SQ}" \
		crm-add --import bad.jsonl &&
	test ! -e store/customers.csv
'

test_done
