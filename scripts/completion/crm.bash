# bash completion for the crm tools: crm-add, crm-log, crm-due,
# crm-segment, crm-ltv.  Options come from each tool's --help, customers
# from "crm-add --complete WORD" over the store the command line names.
# Installed once per tool under share/bash-completion/completions/.

# _crm_candidates TOOL PREV CUR POS [ARGS...]: what CUR may become, one
# per line.  POS is CUR's place among the operands (0 for none yet).
_crm_candidates ()
{
	local tool=$1 prev=$2 cur=$3 pos=$4 dir=
	shift 4
	# The store the command line names, for the customers.
	while [ $# -gt 0 ]; do
		case $1 in
		-d|--dir) dir=$2; shift ;;
		--dir=*) dir=${1#--dir=} ;;
		esac
		shift
	done
	case $prev in
	--update|--history|--customer)
		crm-add ${dir:+--dir "$dir"} --complete "$cur" 2>/dev/null
		return ;;
	--tier) printf '%s\n' vip key regular small; return ;;
	--stage) printf '%s\n' lead prospect customer inactive lost; return ;;
	--unit) printf '%s\n' day week month; return ;;
	--type)
		printf '%s\n' call email meeting visit message letter offer \
		    purchase refund complaint note churn reschedule reassign done
		return ;;
	--next|--date|--since|--until|--today|--end|--birthday)
		printf '%s\n' today tomorrow yesterday +1d +1w +1m monday \
		    tuesday wednesday thursday friday
		return ;;
	--within) printf '%s\n' 1d 7d 2w 1m; return ;;
	-d|--dir|--import|--customers|--owners|--params|--log|--rfm-table)
		return 1 ;;	# a file: let bash complete it
	esac
	case $cur in
	-*)
		"$tool" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u
		return ;;
	esac
	if [ "$tool" = crm-log ]; then
		case $pos in
		1) crm-add ${dir:+--dir "$dir"} --complete "$cur" 2>/dev/null; return ;;
		2) _crm_candidates crm-log --type "$cur" 0; return ;;
		esac
	fi
	return 1
}

_crm ()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= pos=0 i line
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	# The operands before the cursor: words that are neither options nor
	# their arguments (close enough for the crm tools' few operands).
	for ((i = 1; i <= COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) case ${COMP_WORDS[i-1]} in
		   --*=*|-h|--help|--csv|--json|--table|--safe|--list|--import*|--export-vcard|--agenda|--ics|--fit|--clv|--summary|--formula|--lost|--rfm|--lifecycle|--reasons|--repair|--no-*|--mail-per-owner) pos=$((pos + 1)) ;;
		   -*) ;;
		   *) pos=$((pos + 1)) ;;
		   esac ;;
		esac
	done
	COMPREPLY=()
	local cands
	if ! cands=$(_crm_candidates "${COMP_WORDS[0]}" "$prev" "$cur" "$pos" \
	    "${COMP_WORDS[@]:1}"); then
		compopt -o default 2>/dev/null
		return 0
	fi
	while IFS= read -r line; do
		case $line in
		"$cur"*) COMPREPLY+=("$(printf '%q' "$line")") ;;
		*) # a name found by a later word: offer it whole
		   [ -n "$line" ] && COMPREPLY+=("$(printf '%q' "$line")") ;;
		esac
	done <<<"$cands"
}

complete -F _crm crm-add crm-log crm-due crm-segment crm-ltv
