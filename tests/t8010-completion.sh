#!/bin/sh
test_description='shell completion: options from --help, customers from the store'
. "$(dirname "$0")/lib.sh"

comp=$TOP/scripts/completion

test_expect_success 'a store' '
	crm-add -d store --name "Štefan Žilinský" --email stefan@tatra.example >/dev/null &&
	crm-add -d store --name "Stella Berg" >/dev/null &&
	crm-add -d store --name "Иван Петров" >/dev/null
'

# complete WORDS...: what bash would offer for the last word.
complete_bash () {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_crm
		printf "%s\n" "${COMPREPLY[@]}"
	' complete "$comp/crm.bash" "$@"
}

test_expect_success 'bash: options of crm-log, from its --help' '
	complete_bash crm-log --his >out &&
	echo "--history" >expect &&
	grep -x -- "--history" out
'

test_expect_success 'bash: every option crm-due has' '
	complete_bash crm-due -- >out &&
	for o in --agenda --ics --mail --mail-per-owner --handover --within; do
		grep -x -- "$o" out || exit 1
	done
'

test_expect_success 'bash: customers by name, accents or not' '
	complete_bash crm-log -d store --history ste >out &&
	grep -x "Štefan\\\\ Žilinský" out &&
	grep -x "Stella\\\\ Berg" out &&
	grep -x "stefan@tatra.example" out
'

test_expect_success 'bash: the customer, then the type of crm-log' '
	complete_bash crm-log -d store c >out &&
	grep -x c1 out && grep -x c3 out &&
	complete_bash crm-log -d store c1 pur >out &&
	grep -x purchase out
'

test_expect_success 'bash: tiers and stages' '
	complete_bash crm-add --tier "" >out &&
	printf "vip\nkey\nregular\nsmall\n" >expect &&
	test_cmp expect out
'

test_expect_success 'zsh: the completion function loads and offers options' '
	cat >run.zsh <<-\EOF &&
	# compadd only works inside completion: print what it is given.
	compadd () {
		local a arr=0
		for a in "$@"; do
			if [[ $a == -a ]]; then arr=1
			elif [[ $a == -* ]]; then :
			elif (( arr )); then print -rl -- "${(@P)a}"
			else print -r -- "$a"; fi
		done
	}
	_files () { : }
	_directories () { : }
	words=(crm-due --ag) CURRENT=2
	source "$1/_crm"
	EOF
	# LeakSanitizer stops the world with ptrace at exit, and under zsh
	# that never ends: leaks are checked elsewhere, not here.
	ASAN_OPTIONS=detect_leaks=0 zsh -f run.zsh "$comp" >out 2>err &&
	grep -x -- "--agenda" out
'

test_expect_success 'zsh: customers from the store' '
	cat >run2.zsh <<-\EOF &&
	compadd () {
		local a arr=0
		for a in "$@"; do
			if [[ $a == -a ]]; then arr=1
			elif [[ $a == -* ]]; then :
			elif (( arr )); then print -rl -- "${(@P)a}"
			else print -r -- "$a"; fi
		done
	}
	_files () { : }
	_directories () { : }
	words=(crm-log -d store --history ив) CURRENT=5
	source "$1/_crm"
	EOF
	ASAN_OPTIONS=detect_leaks=0 zsh -f run2.zsh "$comp" >out 2>err &&
	grep -x "Иван Петров" out
'

test_done
