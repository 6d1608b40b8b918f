# csv.awk - RFC 4180 records for gawk: fields by FPAT, and a record whose
# quoted field goes on on the next line joined to it (a line with an odd
# number of double quotes opens or closes one).  Sets f[1..nf].
function csv_record(    line, n) {
	line = $0
	n = gsub(/"/, "\"", line)
	while (n % 2 == 1 && (getline more) > 0) {
		line = line "\n" more
		n += gsub(/"/, "\"", more)
	}
	nf = patsplit(line, f, /([^,]*)|("([^"]|"")*")/)
	# patsplit misses empty fields between commas only at the very end.
	if (line ~ /,$/)
		f[++nf] = ""
	for (i = 1; i <= nf; i++)
		if (f[i] ~ /^"/) {
			f[i] = substr(f[i], 2, length(f[i]) - 2)
			gsub(/""/, "\"", f[i])
		}
}
