#!/bin/sh
test_description='crm-add --update and --reassign: finding the customer, changing only what is given, the owner events'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
HDR=id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created
LOGHDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note

test_expect_success 'setup' '
	crm-add --name "Ivan Petrov" --company Metallurg --email ivan@metal.example \
		--phone "+7 495 1234567" --tag a --tag b --owner anna >/dev/null &&
	crm-add --name "Ivana Novak" --email ivana@x.example --owner anna >/dev/null &&
	crm-add --name "Štefan Žilinský" --company "Tatra a.s." --owner boris >/dev/null &&
	crm-add --name "Ivan" --owner boris >/dev/null &&
	cat >expect <<-EOF &&
	$HDR
	c1,Ivan Petrov,Metallurg,ivan@metal.example,+74951234567,anna,,,,,,a;b,2026-11-23
	c2,Ivana Novak,,ivana@x.example,,anna,,,,,,,2026-11-23
	c3,Štefan Žilinský,Tatra a.s.,,,boris,,,,,,,2026-11-23
	c4,Ivan,,,,boris,,,,,,,2026-11-23
	EOF
	test_cmp expect store/customers.csv
'

test_expect_success '--update by id changes the fields given and nothing else' '
	cp store/customers.csv before &&
	crm-add --update c2 --tier KEY --stage Prospect --industry retail >out 2>err &&
	test_must_be_empty err &&
	echo c2 >expect && test_cmp expect out &&
	sed "s/^c2,Ivana Novak,,ivana@x.example,,anna,,,,/c2,Ivana Novak,,ivana@x.example,,anna,key,retail,prospect,/" before >expect &&
	test_cmp expect store/customers.csv
'

test_expect_success '--update finds by e-mail (any case)' '
	crm-add --update IVANA@X.Example --source web >out &&
	echo c2 >expect && test_cmp expect out &&
	grep "^c2,.*,prospect,web," store/customers.csv
'

test_expect_success '--update finds by phone, however it is written' '
	crm-add --update "+7 (495) 123-45-67" --birthday 1970-01-01 >out &&
	echo c1 >expect && test_cmp expect out &&
	grep "^c1,.*,1970-01-01,a;b," store/customers.csv
'

test_expect_success '--update finds by a prefix of a word of the name, any case, any accents' '
	crm-add --update petr --stage lead >out && echo c1 >expect && test_cmp expect out &&
	crm-add --update ŠTEF --stage lost >out && echo c3 >expect && test_cmp expect out &&
	crm-add --update stefan --tier small >out && echo c3 >expect && test_cmp expect out &&
	crm-add --update zilin --tier regular >out && echo c3 >expect && test_cmp expect out &&
	grep "^c3,Štefan Žilinský,Tatra a.s.,,,boris,regular,,lost," store/customers.csv
'

test_expect_success 'a name that is a whole name of one customer is that one' '
	crm-add --update ivan --industry steel >out &&
	echo c4 >expect && test_cmp expect out &&
	grep "^c4,Ivan,,,,boris,,steel," store/customers.csv
'

test_expect_success 'an empty value clears a field' '
	crm-add --update c1 --company "" --birthday "" >/dev/null &&
	grep "^c1,Ivan Petrov,,ivan@metal.example,+74951234567,anna,,,lead,,,a;b," store/customers.csv
'

test_expect_success '--tag adds, --untag removes, in one go' '
	crm-add --update c1 --untag a --tag c --tag b --untag nosuch >/dev/null &&
	grep "^c1,.*,b;c,2026-11-23$" store/customers.csv
'

test_expect_success '--set adds a column of the user'"'"'s own to every row' '
	crm-add --update c1 --set city=Москва >/dev/null &&
	head -n 1 store/customers.csv >hdr &&
	echo "$HDR,city" >expect && test_cmp expect hdr &&
	grep "^c1,.*,2026-11-23,Москва$" store/customers.csv &&
	grep "^c2,.*,2026-11-23,$" store/customers.csv
'

test_expect_success '--update with no field options changes nothing' '
	cp store/customers.csv before &&
	crm-add --update c1 >out &&
	echo c1 >expect && test_cmp expect out &&
	test_cmp before store/customers.csv &&
	test ! -e store/log.csv
'

test_expect_success 'a new owner is logged as a reassign event' '
	crm-add --update c1 --owner eva >out &&
	echo c1 >expect && test_cmp expect out &&
	grep "^c1,Ivan Petrov,,ivan@metal.example,+74951234567,eva," store/customers.csv &&
	cat >expect <<-EOF &&
	$LOGHDR
	2026-11-23,c1,reassign,,,,,,,tester,owner anna -> eva
	EOF
	test_cmp expect store/log.csv
'

test_expect_success 'the same owner again logs nothing' '
	cp store/log.csv before &&
	crm-add --update c1 --owner eva >/dev/null &&
	test_cmp before store/log.csv
'

test_expect_success 'refusals leave the store as it was' '
	test_fails_cleanly 1 "crm-add: no customer ${SQ}c99${SQ}" \
		crm-add --update c99 --tier vip &&
	test_fails_cleanly 1 "crm-add: no customer ${SQ}nobody${SQ}" \
		crm-add --update nobody --tier vip &&
	test_fails_cleanly 1 "crm-add: no customer with email ${SQ}nobody@x.example${SQ}" \
		crm-add --update nobody@x.example --tier vip &&
	test_fails_cleanly 1 "crm-add: no customer given" \
		crm-add --update "" --tier vip &&
	test_fails_cleanly 1 "crm-add: a customer needs a name" \
		crm-add --update c1 --name "  " &&
	test_fails_cleanly 1 "crm-add: a customer must have an owner" \
		crm-add --update c1 --owner "" &&
	test_fails_cleanly 1 "crm-add: an id cannot be changed: other files refer to it" \
		crm-add --update c1 --id c9 &&
	test_fails_cleanly 1 "crm-add: invalid tier ${SQ}gold${SQ} (one of: vip, key, regular, small)" \
		crm-add --update c1 --tier gold &&
	test_fails_cleanly 1 "crm-add: invalid email ${SQ}x@y${SQ}" \
		crm-add --update c1 --email x@y &&
	test_fails_cleanly 1 "crm-add: invalid birthday ${SQ}2026-02-30${SQ} (YYYY-MM-DD, or --MM-DD without the year)" \
		crm-add --update c1 --birthday 2026-02-30 &&
	test_fails_cleanly 1 "crm-add: birthday ${SQ}2030-01-01${SQ} is in the future" \
		crm-add --update c1 --birthday 2030-01-01
'

test_expect_success 'an ambiguous prefix lists the candidates' '
	test_fails_cleanly 1 "crm-add: ${SQ}iva${SQ} fits 3 customers: c1 (Ivan Petrov), c2 (Ivana Novak), c4 (Ivan); give the id" \
		crm-add --update iva --tier vip
'

test_expect_success 'more than ten candidates: the first ten and an ellipsis' '
	CRM_DIR=many && export CRM_DIR &&
	i=1 && while [ $i -le 12 ]; do
		crm-add --name "Ann $i" >/dev/null || exit 1; i=$((i + 1))
	done &&
	test_fails_cleanly 1 "crm-add: ${SQ}ann${SQ} fits 12 customers: c1 (Ann 1), c2 (Ann 2), c3 (Ann 3), c4 (Ann 4), c5 (Ann 5), c6 (Ann 6), c7 (Ann 7), c8 (Ann 8), c9 (Ann 9), c10 (Ann 10), ...; give the id" \
		crm-add --update ann --tier vip
'

test_expect_success 'a change that would make a duplicate' '
	test_fails_cleanly 1 "crm-add: would duplicate c1 ${SQ}Ivan Petrov${SQ} (same email)" \
		crm-add --update c2 --email IVAN@metal.example &&
	test_fails_cleanly 1 "crm-add: would duplicate c1 ${SQ}Ivan Petrov${SQ} (same phone)" \
		crm-add --update c4 --phone +7-495-123-45-67 &&
	test_fails_cleanly 1 "crm-add: would duplicate c3 ${SQ}Štefan Žilinský${SQ} (same name and company)" \
		crm-add --update c4 --name "Stefan Zilinsky" --company "TATRA A.S."
'

test_expect_success 'an owner change is refused while the log ends with a torn record' '
	cp store/log.csv log.good &&
	printf "2026-11-23,c1,ca" >>store/log.csv &&
	test_fails_cleanly 1 "crm-add: store/log.csv ends with an incomplete record (cut short by a crash?); run ${SQ}crm-log --repair${SQ} first" \
		crm-add --update c1 --owner zoe &&
	cp log.good store/log.csv
'

# ---------------------------------------------------------------- --reassign

test_expect_success '--reassign gives every customer of one owner to another, and logs it' '
	cp store/log.csv log.before &&
	crm-add --reassign boris --to anna >out 2>err &&
	test_must_be_empty err &&
	printf "%s\n" c3 c4 >expect && test_cmp expect out &&
	cut -d, -f1,6 store/customers.csv >owners &&
	printf "%s\n" id,owner c1,eva c2,anna c3,anna c4,anna >expect &&
	test_cmp expect owners &&
	cat log.before - >expect <<-EOF &&
	2026-11-23,c3,reassign,,,,,,,tester,owner boris -> anna
	2026-11-23,c4,reassign,,,,,,,tester,owner boris -> anna
	EOF
	test_cmp expect store/log.csv
'

test_expect_success '--reassign records the time when today is not fixed' '
	CRM_DIR=clock && export CRM_DIR &&
	crm-add --name A --owner x >/dev/null &&
	env -u CRM_TODAY crm-add --reassign x --to y >/dev/null &&
	tail -n 1 clock/log.csv >row &&
	grep -E "^$(date +%Y-%m-%d)T[0-2][0-9]:[0-5][0-9],c1,reassign,,,,,,,tester,owner x -> y$" row
'

test_expect_success '--reassign refusals' '
	test_fails_cleanly 1 "crm-add: no customer has the owner ${SQ}boris${SQ}" \
		crm-add --reassign boris --to eva &&
	test_fails_cleanly 1 "crm-add: ${SQ}anna${SQ} already owns those customers" \
		crm-add --reassign anna --to anna &&
	test_fails_cleanly 1 "crm-add: a customer must have an owner: give --to" \
		crm-add --reassign anna --to "  " &&
	test_fails_cleanly 2 "crm-add: --reassign takes only --to
Try ${SQ}crm-add --help${SQ} for more information." \
		crm-add --reassign anna --to eva --tag x &&
	test_fails_cleanly 2 "crm-add: --reassign takes only --to
Try ${SQ}crm-add --help${SQ} for more information." \
		crm-add --reassign anna --to eva extra
'

test_done
