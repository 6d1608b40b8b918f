# The open follow-ups due by today, for gawk (with csv.awk).
NR == 1 { next }
{
	csv_record()
	t = f[3]
	nx = f[7]
	if (nx == "" && (t == "purchase" || t == "refund" || t == "note" ||
	    t == "reassign" || t == "reschedule"))
		next
	c = f[2]
	d = substr(f[1], 1, 10)
	# Later in the file wins on the same day: >=.
	if (!(c in day) || d >= day[c]) {
		day[c] = d
		due[c] = nx
	}
}
END {
	print "customer,due"
	for (c in due)
		if (due[c] != "" && substr(due[c], 1, 10) <= today)
			print c "," due[c]
}
