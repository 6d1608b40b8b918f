#!/bin/sh
test_description='crm-ltv --summary against awk, on a log in date order and shuffled'
. "$(dirname "$0")/lib.sh"

# 3,000 customers with from 1 to about 60 purchases each, several on
# some days, and refunds: the day lists held in the entry (up to 6 days)
# and on the heap (growing past 8, 16, 32), days coming in order, out of
# order and again.
test_expect_success 'a log of many purchase days per customer' '
	awk "BEGIN {
		srand(5030)
		print \"date,customer,type,amount\"
		for (i = 0; i < 60000; i++) {
			c = int(3000 * rand() ^ 3) + 1
			d = int(700 * rand())
			y = 2024 + int(d / 336); m = int(d % 336 / 28) + 1; dd = d % 28 + 1
			t = rand() < 0.1 ? \"refund\" : \"purchase\"
			printf \"%04d-%02d-%02d,c%d,%s,%d.%02d\n\", y, m, dd, c, t, 1 + int(500 * rand()), int(100 * rand())
		}
	}" >shuffled.csv &&
	{ head -1 shuffled.csv && sed 1d shuffled.csv | sort -t, -k1,1 -s; } >ordered.csv &&
	test $(wc -l <ordered.csv) -eq 60001
'

# What the summary must say, worked out by awk: purchases, distinct
# purchase days, first and last day, revenue in cents.
test_expect_success 'the expected figures' '
	sed 1d shuffled.csv | awk -F, "
		{ split(\$4, a, \".\"); cents = a[1] * 100 + a[2]
		  if (\$3 == \"refund\") { rev[\$2] -= cents; seen[\$2] = 1; next }
		  rev[\$2] += cents; seen[\$2] = 1; n[\$2]++
		  if (!((\$2, \$1) in day)) { day[\$2, \$1] = 1; nd[\$2]++ }
		  if (!(\$2 in first) || \$1 < first[\$2]) first[\$2] = \$1
		  if (!(\$2 in last) || \$1 > last[\$2]) last[\$2] = \$1 }
		END { for (c in seen) {
			r = rev[c]; s = r < 0 ? \"-\" : \"\"; if (r < 0) r = -r
			printf \"%s,%d,%d,%s,%s,%s%d.%02d\n\", c, n[c], nd[c], first[c], last[c], s, int(r / 100), r % 100 } }
	" | sort >expect &&
	test $(wc -l <expect) -gt 1000 &&
	awk -F, "\$3 > 32" expect | grep -q .
'

for f in ordered shuffled
do
	test_expect_success "$f: crm-ltv --summary gives those figures" "
		crm-ltv --summary --end 2026-12-31 $f.csv >sum.csv &&
		sed 1d sum.csv | cut -d, -f1-6 | sort >actual &&
		test_cmp expect actual
	"
done

test_expect_success 'frequency is the distinct days less one, from either order' '
	crm-ltv --summary --end 2026-12-31 ordered.csv | sed 1d | sort >a &&
	crm-ltv --summary --end 2026-12-31 shuffled.csv | sed 1d | sort >b &&
	test_cmp a b &&
	awk -F, "\$3 > 0 && \$7 != \$3 - 1" a >bad &&
	test_must_be_empty bad
'

test_done
