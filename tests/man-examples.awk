# man-examples.awk - cut the EXAMPLES of an mdoc page into numbered
# commands and their expected output: DIR/N.sh and DIR/N.out.
#
# In the literal blocks, a line "$ cmd" starts a command; a command goes
# on while its line ends with a backslash or a pipe; the lines after it,
# up to the next "$ " or the end of the block, are what it prints
# (standard output and standard error together).  A block without "$ "
# (crontab lines, say) is shown, not run.
function unescape(s) {
	gsub(/\\e/, "\\", s)
	gsub(/\\&/, "", s)
	gsub(/\\-/, "-", s)
	return s
}
/^\.Sh / { inex = ($2 == "EXAMPLES") }
!inex { next }
/^\.Bd -literal/ { inblock = 1; cur = 0; next }
/^\.Ed/ { inblock = 0; cont = 0; next }
!inblock { next }
{
	line = unescape($0)
	if (cont) {
		print line >> (dir "/" n ".sh")
		cont = line ~ /(\\|\|)[ \t]*$/
		next
	}
	if (line ~ /^\$ /) {
		cur = ++n
		printf "" > (dir "/" n ".out")
		print substr(line, 3) > (dir "/" n ".sh")
		cont = line ~ /(\\|\|)[ \t]*$/
		next
	}
	if (cur)
		print line >> (dir "/" cur ".out")
}
END { print n > (dir "/count") }
