# The per-customer purchase summary, for gawk (with csv.awk).
NR == 1 { next }
{
	csv_record()
	t = f[3]
	if (t != "purchase" && t != "refund")
		next
	c = f[2]
	seen[c] = 1
	if (t == "purchase") {
		n[c]++
		d = substr(f[1], 1, 10)
		if (!(c in first) || d < first[c]) first[c] = d
		if (!(c in last) || d > last[c]) last[c] = d
		rev[c] += f[5]
	} else {
		rev[c] -= f[5]
	}
}
END {
	print "customer,purchases,first,last,revenue"
	for (c in seen)
		printf "%s,%d,%s,%s,%.2f\n", c, n[c], first[c], last[c], rev[c]
}
