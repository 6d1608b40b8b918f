# RFM scores by crm-segment's tie rule, for gawk (with csv.awk).
NR == 1 { next }
{
	csv_record()
	t = f[3]
	if (t != "purchase" && t != "refund")
		next
	d = substr(f[1], 1, 10)
	if (d > today)
		next
	c = f[2]
	if (t == "purchase") {
		bought[c] = 1
		if (!(c in last) || d > last[c]) last[c] = d
		if (!((c, d) in day)) { day[c, d] = 1; days[c]++ }
		cents[c] += int(f[5] * 100 + (f[5] < 0 ? -0.5 : 0.5))
	} else {
		cents[c] -= int(f[5] * 100 + 0.5)
	}
}
# score(value, k): for each customer's value in v[], its score in out[].
function scores(v, out,    c, cnt, vals, nv, i, below, n) {
	n = 0
	for (c in v) { cnt[v[c]]++; n++ }
	nv = 0
	for (x in cnt) vals[++nv] = x
	asort(vals, vals, "@val_num_asc")
	below = 0
	for (i = 1; i <= nv; i++) {
		lw[vals[i]] = below
		below += cnt[vals[i]]
	}
	for (c in v)
		out[c] = 1 + int((5 * (2 * lw[v[c]] + cnt[v[c]])) / (2 * n))
	delete lw
}
END {
	for (c in bought) {
		rv[c] = mktime(substr(last[c], 1, 4) " " substr(last[c], 6, 2) " " substr(last[c], 9, 2) " 12 0 0") / 86400
		fv[c] = days[c]
		mv[c] = cents[c]
	}
	scores(rv, rs); scores(fv, fs); scores(mv, ms)
	print "customer,r,f,m"
	for (c in bought)
		printf "%s,%d,%d,%d\n", c, rs[c], fs[c], ms[c]
}
