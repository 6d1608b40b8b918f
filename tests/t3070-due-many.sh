#!/bin/sh
test_description='crm-due on a log big enough that its records are cleaned up many times'
. "$(dirname "$0")/lib.sh"

# crm-due keeps what the items show of an event (note, next action,
# assignee...) in an arena that is compacted when it has grown past
# 16 MB (lib/due.c).  A customer's items depend only on that customer's
# events, so the items of a few customers must be the same whether
# their events come alone (no clean-up) or among 400,000 others (about
# 70 MB of records: four clean-ups, each moving every live record).

# gen_log N: N events of 4,000 customers over a year, mostly in date
# order; contacts with long notes (a second line too), next dates and
# actions, assignees, complaints, purchases.
gen_log () {
	awk -v n="$1" 'BEGIN {
		srand(7);
		print "date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note";
		split("call email meeting complaint purchase note call email", types, " ");
		for (i = 0; i < n; i++) {
			d = int(i * 360 / n) + int(rand() * 5) - 2;
			if (d < 0) d = 0;
			if (d > 359) d = 359;
			day = sprintf("2026-%02d-%02d", 1 + int(d / 30), 1 + d % 28);
			# c2001..c4000 only in the first tenth: their records
			# must survive every clean-up
			c = "c" (1 + int(rand() * (i < n / 10 ? 4000 : 2000)));
			t = types[1 + int(rand() * 8)];
			amount = t == "purchase" ? sprintf("%d.%02d", 1 + int(rand() * 900), int(rand() * 100)) : "";
			next_ = ""; action = ""; who = "";
			if (t != "purchase" && rand() < 0.6) {
				nd = d + 1 + int(rand() * 60);
				next_ = sprintf("2026-%02d-%02d", 1 + int(nd / 30) % 12, 1 + nd % 28);
				action = "action " i " for " c;
				if (rand() < 0.3) who = "agent" int(rand() * 5);
			}
			note = "";
			if (t != "purchase") {
				note = "note " i " of " c ": ";
				for (k = 0; k < 6; k++) note = note "lorem ipsum dolor sit ";
				if (rand() < 0.2) note = "\"" note "\nsecond line, \"\"quoted\"\"\"";
			}
			printf "%s,%s,%s,phone,%s,,%s,%s,%s,tester,%s\n", day, c, t, amount, next_, action, who, note;
		}
	}'
}

test_expect_success 'setup: 4,000 customers, 400,000 events' '
	mkdir -m 700 big few &&
	awk "BEGIN { print \"id,name,owner,tier\";
		split(\"vip key regular small\", tiers, \" \");
		for (i = 1; i <= 4000; i++)
			printf \"c%d,Customer %d,owner%d,%s\n\", i, i, i % 7, tiers[1 + i % 4] }" \
		>big/customers.csv &&
	gen_log 400000 >big/log.csv &&
	test $(wc -c <big/log.csv) -gt 60000000 &&
	cp big/customers.csv few/ &&
	# the events of every 37th customer, alone
	awk -F, "NR == 1 || \$2 ~ /^c[0-9]+\$/ && substr(\$2, 2) % 37 == 0 { print; keep = 1; next }
		/^[0-9]/ { keep = 0 } keep && NR > 1 && !/^[0-9]/ { print }" \
		big/log.csv >few/log.csv &&
	chmod 600 big/* few/*
'

# only_few: the items of every 37th customer (the others have items in
# few too, from the cadence: no contact yet).
only_few () {
	awk -F, "NR == 1 || \$5 ~ /^c[0-9]+\$/ && substr(\$5, 2) % 37 == 0" "$@"
}

test_expect_success 'the few customers get the same items among the many' '
	crm-due -d big --csv --today 2026-12-31 >all.csv &&
	crm-due -d few --csv --today 2026-12-31 >few.csv &&
	only_few few.csv >few-few.csv &&
	test $(grep -c "^complaint," few-few.csv) -gt 1 &&
	test $(grep -c "^followup," few-few.csv) -gt 10 &&
	only_few all.csv >all-few.csv &&
	test_cmp few-few.csv all-few.csv
'

test_expect_success 'and the same with complaints, cadence and birthdays off' '
	crm-due -d big --csv --today 2026-12-31 --no-complaints --no-cadence \
		--no-birthdays >all.csv &&
	crm-due -d few --csv --today 2026-12-31 --no-complaints --no-cadence \
		--no-birthdays >few.csv &&
	test $(wc -l <few.csv) -gt 10 &&
	only_few all.csv >all-few.csv &&
	test_cmp few.csv all-few.csv
'

# The arena's first block is 32 MB; a first record of exactly that size
# (24-byte header, "c1", the date, "call", an empty note and assignee,
# and a next action of 33,554,386 bytes) once ran 8 bytes past it.
test_expect_success 'a first record as big as the arena block' '
	mkdir -m 700 edge &&
	printf "id,name,owner,tier\nc1,One,o,regular\n" >edge/customers.csv &&
	{
		echo "date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note" &&
		printf "2026-01-01,c1,call,,,,2026-02-01," &&
		head -c 33554386 /dev/zero | tr "\0" x &&
		printf ",,,\n"
	} >edge/log.csv &&
	chmod 600 edge/* &&
	crm-due -d edge --csv --today 2026-12-31 --no-cadence >edge.csv &&
	awk -F, "NR == 2 { print \$1, length(\$11) }" edge.csv >actual &&
	echo "followup 33554386" >expect &&
	test_cmp expect actual
'

test_done
