#!/bin/sh
test_description='crm-log --history: the card, the timeline, and the open follow-up rule of crm(7)'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
LOGHDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note

# followup CUSTOMER: the "next contact:" line of the card.
followup () {
	crm-log --history "$1" --table | grep "^  next contact: "
}

test_expect_success 'setup' '
	crm-add --name "Štefan Žilinský" --company "Tatra a.s." --tier key \
		--stage customer --industry trucks --email stefan@tatra.example \
		--phone "+421 41 123 4567" --birthday 1975-03-02 --source fair \
		--tag vip-list --set city=Žilina --owner eva >/dev/null &&
	crm-add --name "Nobody Yet" >/dev/null &&
	crm-log c1 purchase --amount 1200.50 --date 2026-11-02 --channel shop &&
	crm-log c1 call "wants a discount" --channel phone --outcome interested \
		--date 2026-11-10 --next friday --next-action "send the offer" \
		--assignee anna &&
	crm-log c1 note "$(printf "line one\nline two")" --date 2026-11-12 &&
	crm-log c1 refund --amount 0.50 --date 2026-11-13 --by boris &&
	crm-log c1 purchase --amount 99.90 --date 2026-11-05 &&
	crm-log c2 call --date 2026-11-01
'

test_expect_success '--history: the card and the timeline, in date order' '
	crm-log --history c1 --table >out 2>err &&
	test_must_be_empty err &&
	cat >expect <<-\EOF &&
	Štefan Žilinský (c1), Tatra a.s.
	  owner: eva   tier: key   stage: customer   industry: trucks
	  email: stefan@tatra.example   phone: +421411234567   birthday: 1975-03-02
	  source: fair   tags: vip-list   created: 2026-11-23
	  city: Žilina
	  purchases: 2, revenue 1299.90 (first 2026-11-02, last 2026-11-05)
	  last contact: 2026-11-10 call: wants a discount
	  next contact: 2026-11-27 (in 4 days): send the offer [for anna]

	2026-11-02  purchase 1200.50  channel: shop   by: tester
	2026-11-05  purchase 99.90  by: tester
	2026-11-10  call  channel: phone   by: tester   outcome: interested
	    wants a discount
	    -> next 2026-11-27: send the offer [for anna]
	2026-11-12  note  by: tester
	    line one
	    line two
	2026-11-13  refund 0.50  by: boris
	EOF
	test_cmp expect out
'

test_expect_success '--history finds the customer by e-mail, phone and name' '
	crm-log --history c1 --table >expect &&
	crm-log --history STEFAN@tatra.example --table >out && test_cmp expect out &&
	crm-log --history "+421 41 123 4567" --table >out && test_cmp expect out &&
	crm-log --history zilinsky --table >out && test_cmp expect out
'

test_expect_success '--history of a customer without events' '
	crm-log --history c2 --table >/dev/null &&
	crm-add --name "Quiet One" >/dev/null &&
	crm-log --history quiet --table >out &&
	cat >expect <<-\EOF &&
	Quiet One (c3)
	  owner: tester
	  created: 2026-11-23
	  next contact: none agreed
	EOF
	test_cmp expect out
'

test_expect_success '--history --csv: the events in date order, in the log'"'"'s columns' '
	crm-log --history c1 --csv >out &&
	cat >expect <<-EOF &&
	$LOGHDR
	2026-11-02,c1,purchase,shop,1200.50,,,,,tester,
	2026-11-05,c1,purchase,,99.90,,,,,tester,
	2026-11-10,c1,call,phone,,interested,2026-11-27,send the offer,anna,tester,wants a discount
	2026-11-12,c1,note,,,,,,,tester,"line one
	line two"
	2026-11-13,c1,refund,,0.50,,,,,boris,
	EOF
	test_cmp expect out &&
	crm-log --history c1 >out2 && test_cmp out out2
'

test_expect_success '--history --json: one valid object with the card, follow-up and events' '
	crm-log --history c1 --json >out &&
	test $(wc -l <out) = 1 &&
	$PY -c "
import json
h = json.load(open(\"out\", encoding=\"utf-8\"))
c = h[\"customer\"]
assert c[\"id\"] == \"c1\" and c[\"name\"] == \"Štefan Žilinský\", c
assert c[\"city\"] == \"Žilina\" and c[\"phone\"] == \"+421411234567\", c
f = h[\"followup\"]
assert f[\"due\"] == \"2026-11-27\" and f[\"action\"] == \"send the offer\", f
assert f[\"days\"] == 4, f
assert h[\"purchases\"] == 2, h
assert abs(h[\"revenue\"] - 1299.90) < 1e-9, h
assert h[\"first_purchase\"] == \"2026-11-02\" and h[\"last_purchase\"] == \"2026-11-05\"
ev = h[\"events\"]
assert [e[\"date\"] for e in ev] == [\"2026-11-02\", \"2026-11-05\", \"2026-11-10\", \"2026-11-12\", \"2026-11-13\"], ev
assert ev[3][\"note\"] == \"line one\nline two\"
"
'

test_expect_success '--history --json with no follow-up and no purchases' '
	crm-log --history c3 --json >out &&
	$PY -c "
import json
h = json.load(open(\"out\"))
assert h[\"followup\"] is None and h[\"purchases\"] == 0 and h[\"events\"] == [], h
assert \"first_purchase\" not in h
"
'

test_expect_success '--history refusals' '
	test_fails_cleanly 1 "crm-log: no customer ${SQ}c99${SQ}" crm-log --history c99 &&
	test_fails_cleanly 1 "crm-log: no customer ${SQ}zorro${SQ}" crm-log --history zorro &&
	crm-add --name "Štefan Novák" >/dev/null &&
	test_fails_cleanly 1 "crm-log: ${SQ}stef${SQ} fits 2 customers: c1 (Štefan Žilinský), c4 (Štefan Novák); give the id" \
		crm-log --history stef &&
	test_fails_cleanly 1 "crm-log: no store at nowhere (crm-add creates it; see --dir)" \
		crm-log -d nowhere --history c1 &&
	test_expect_code 1 crm-log --history c1 --table >/dev/full 2>err &&
	echo "crm-log: write error: No space left on device" >expect &&
	test_cmp expect err
'

test_expect_success '--history shows control characters in the log harmlessly' '
	printf "2026-11-21,c3,note,,,,,,,tester,\"bell\007 and\033[31m red\"\n" >>store/log.csv &&
	crm-log --history c3 --table >out &&
	tail -n 2 out >got &&
	printf "2026-11-21  note  by: tester\n    bell\357\277\275 and\357\277\275[31m red\n" >want &&
	test_cmp want got
'

# ---------------------------------------------------------------- the rule

test_expect_success 'a call with --next opens a follow-up' '
	crm-add -d rule --name "Rule One" >/dev/null &&
	CRM_DIR=rule && export CRM_DIR &&
	crm-log c1 call --date 2026-11-16 --next 2026-11-30 --next-action "ring back" &&
	followup c1 >got &&
	echo "  next contact: 2026-11-30 (in 7 days): ring back" >want &&
	test_cmp want got
'

test_expect_success 'a purchase, a refund, a note or a reassign does not close it' '
	CRM_DIR=rule && export CRM_DIR &&
	crm-log c1 purchase --amount 10 --date 2026-11-18 &&
	crm-log c1 refund --amount 5 --date 2026-11-19 &&
	crm-log c1 note "called the office" --date 2026-11-20 &&
	crm-log c1 reassign --date 2026-11-21 &&
	followup c1 >got &&
	echo "  next contact: 2026-11-30 (in 7 days): ring back" >want &&
	test_cmp want got
'

test_expect_success 'a back-dated call earlier than the event that set it does not close it' '
	CRM_DIR=rule && export CRM_DIR &&
	crm-log c1 call --date 2026-11-10 &&
	crm-log c1 email --date 2026-11-15 &&
	followup c1 >got &&
	echo "  next contact: 2026-11-30 (in 7 days): ring back" >want &&
	test_cmp want got
'

test_expect_success 'a reschedule moves it' '
	CRM_DIR=rule && export CRM_DIR &&
	crm-log c1 reschedule --date 2026-11-17 --next 2026-12-03 --next-action "after the fair" &&
	followup c1 >got &&
	echo "  next contact: 2026-12-03 (in 10 days): after the fair" >want &&
	test_cmp want got
'

test_expect_success 'a later call without --next closes it' '
	CRM_DIR=rule && export CRM_DIR &&
	crm-log c1 call --date 2026-11-22 "done, no more" &&
	followup c1 >got &&
	echo "  next contact: none agreed" >want &&
	test_cmp want got &&
	crm-log --history c1 --json >out &&
	$PY -c "import json; assert json.load(open(\"out\"))[\"followup\"] is None"
'

test_expect_success 'on the same day the later line wins: open, then closed' '
	crm-add -d same --name "Same Day" >/dev/null &&
	CRM_DIR=same && export CRM_DIR &&
	crm-log c1 call --date 2026-11-20 --next 2026-11-25 &&
	crm-log c1 call --date 2026-11-20 &&
	followup c1 >got &&
	echo "  next contact: none agreed" >want &&
	test_cmp want got
'

test_expect_success 'on the same day the later line wins: closed, then open' '
	CRM_DIR=same && export CRM_DIR &&
	crm-log c1 call --date 2026-11-20T18:00 --next 2026-11-26 --next-action later &&
	followup c1 >got &&
	echo "  next contact: 2026-11-26 (in 3 days): later" >want &&
	test_cmp want got
'

test_expect_success 'on the same day, the later line wins even with an earlier time' '
	CRM_DIR=same && export CRM_DIR &&
	crm-log c1 call --date 2026-11-20T08:00 &&
	followup c1 >got &&
	echo "  next contact: none agreed" >want &&
	test_cmp want got
'

test_expect_success 'an overdue follow-up and one due today are said so' '
	crm-add -d due --name "Due One" >/dev/null &&
	crm-add -d due --name "Due Two" >/dev/null &&
	CRM_DIR=due && export CRM_DIR &&
	crm-log c1 call --date 2026-11-01 --next 2026-11-20 &&
	followup c1 >got &&
	echo "  next contact: 2026-11-20 (3 days overdue)" >want && test_cmp want got &&
	crm-log c2 call --next today &&
	followup c2 >got &&
	echo "  next contact: 2026-11-23 (today)" >want && test_cmp want got &&
	crm-log c2 call --next tomorrow &&
	followup c2 >got &&
	echo "  next contact: 2026-11-24 (tomorrow)" >want && test_cmp want got
'

test_expect_success 'a purchase with a next date sets the follow-up' '
	CRM_DIR=due && export CRM_DIR &&
	crm-log c1 purchase --amount 5 --date 2026-11-21 --next 2026-12-21 &&
	followup c1 >got &&
	echo "  next contact: 2026-12-21 (in 28 days)" >want && test_cmp want got
'

test_done
