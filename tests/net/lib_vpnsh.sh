# lib_vpnsh.sh -- vpnsh appliances as daemons in network namespaces, for the
# network tests, and the check counter they share.
#
# usage: . tests/net/lib_vpnsh.sh   after setting vpnsh (the binary), tmp (a
#        directory) and pids (""); POSIX sh.
#
#   check DESC COMMAND...     run COMMAND; count a pass, or a failure printed
#                             as "FAIL: DESC" (totals in $pass and $fail)
#   vpnsh_start NS NAME PERSONALITY MAP [OPTION...]
#       paste $tmp/NAME.cfg into a fresh store $tmp/NAME.db (batch mode,
#       --strict), then run the appliance as a daemon in namespace NS with
#       its console socket at $tmp/NAME.sock, --interface-map MAP and the
#       options given (e.g. --dataplane record); standard error goes to
#       $tmp/NAME.err. Non-zero when the configuration does not paste.
#   vpnsh_stop NAME           stop it; checks that it said nothing on
#                             standard error (sanitizer reports land there)
#   v NAME COMMAND...         run commands on its console, print the output
#   has NAME COMMAND PATTERN  the output of COMMAND matches PATTERN (grep)
#   lacks NAME COMMAND PATTERN
#   wait_for SECONDS NAME COMMAND PATTERN   poll until has, or give up

pass=0 fail=0
check() {
	desc=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $desc"; fi
}

vpnsh_start() {
	_vn_ns=$1 _vn_name=$2 _vn_pers=$3 _vn_map=$4
	shift 4
	rm -f "$tmp/$_vn_name.db" "$tmp/$_vn_name.sock"
	"$vpnsh" --db "$tmp/$_vn_name.db" --personality "$_vn_pers" --no-apply --strict <"$tmp/$_vn_name.cfg" \
		>"$tmp/$_vn_name.paste" 2>&1 || {
		echo "the $_vn_name configuration does not paste:"
		tail -5 "$tmp/$_vn_name.paste"
		return 1
	}
	ip netns exec "$_vn_ns" "$vpnsh" --db "$tmp/$_vn_name.db" --daemon --socket "$tmp/$_vn_name.sock" "$@" \
		--interface-map "$_vn_map" >/dev/null 2>"$tmp/$_vn_name.err" &
	pids="$pids $!"
	eval "pid_$_vn_name=$!"
	_vn_n=0
	while [ ! -S "$tmp/$_vn_name.sock" ] && [ $_vn_n -lt 50 ]; do sleep 0.1; _vn_n=$((_vn_n + 1)); done
}

vpnsh_stop() {
	eval "kill \$pid_$1" 2>/dev/null
	eval "wait \$pid_$1" 2>/dev/null
	check "$1 stopped cleanly, nothing on standard error" [ ! -s "$tmp/$1.err" ]
	[ -s "$tmp/$1.err" ] && head -20 "$tmp/$1.err"
	return 0
}

v() {
	_vn_name=$1
	shift
	_vn_args=""
	for _vn_c in "$@"; do _vn_args="$_vn_args -c \"$_vn_c\""; done
	eval "\"$vpnsh\" --connect \"$tmp/$_vn_name.sock\" $_vn_args"
}

has() { v "$1" "$2" 2>/dev/null | grep -q -- "$3"; }
lacks() { ! has "$@"; }

wait_for() {
	_vn_n=0
	while [ $_vn_n -lt $(($1 * 5)) ]; do
		v "$2" "$3" 2>/dev/null | grep -q -- "$4" && return 0
		sleep 0.2
		_vn_n=$((_vn_n + 1))
	done
	return 1
}
