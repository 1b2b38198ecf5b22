#!/bin/sh
# run-shell-tests.sh -- the command-line contract, tested from the outside:
# exit codes, --strict, -c, a damaged --db, the daemon and its socket
# consoles, write memory across restarts, and the running-config round trip.
#
# usage: tests/run-shell-tests.sh path/to/vpnsh
set -u
vpnsh=$(realpath "${1:?usage: run-shell-tests.sh VPNSH}")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
daemon_pid=""
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...: the command must succeed
	desc=$1
	shift
	if "$@"; then ok; else bad "$desc"; fi
}
v() { "$vpnsh" --no-apply "$@"; }

# ---- usage and exit codes ----
v --help >"$tmp/help" 2>&1
check "--help exits 0" [ $? -eq 0 ]
check "--help documents --db" grep -q -- "--db FILE" "$tmp/help"
check "--help documents --connect" grep -q -- "--connect PATH" "$tmp/help"
v --bogus >/dev/null 2>"$tmp/err"
check "unknown option exits 2" [ $? -eq 2 ]
check "unknown option: one line on stderr" [ "$(wc -l <"$tmp/err")" -eq 1 ]
v --personality nxos </dev/null >/dev/null 2>&1
check "bad personality exits 2" [ $? -eq 2 ]

# ---- batch mode and --strict ----
printf 'enable\nconfigure terminal\nhostname ok\nhostnme bad\nhostname after\n' >"$tmp/cfg"
v --db none <"$tmp/cfg" >"$tmp/out" 2>"$tmp/err"
check "batch mode exits 0 despite an error line" [ $? -eq 0 ]
check "batch mode goes on after an error" grep -q '^after(config)# $' "$tmp/out"
check "batch transcript shows the caret error" grep -q "ERROR: % Invalid input detected at '^' marker." "$tmp/out"
v --db none --strict <"$tmp/cfg" >"$tmp/out" 2>"$tmp/err"
check "--strict exits 1" [ $? -eq 1 ]
check "--strict names the line" grep -q "line 4" "$tmp/err"
check "--strict stops at the failing line" sh -c "! grep -q 'hostname after' '$tmp/out'"

# ---- -c on a store ----
db="$tmp/startup.db"
v --db "$db" -c "configure terminal" -c "hostname saved-asa" -c "write memory" >"$tmp/out" 2>&1
check "-c exits 0" [ $? -eq 0 ]
check "write memory reports [OK]" grep -q '^\[OK\]$' "$tmp/out"
check "write memory creates the store" [ -f "$db" ]
v --db "$db" -c "show running-config" >"$tmp/out"
check "the saved configuration is loaded" grep -q '^hostname saved-asa$' "$tmp/out"
check "-c prints only the output (no prompt)" sh -c "! grep -q 'saved-asa#' '$tmp/out'"
v --db "$db" -c "show running-confi" -c "show bogus" >"$tmp/out" 2>&1
check "-c with a failing command exits 1" [ $? -eq 1 ]
v --db "$db" --personality ios -c "show running-config" >"$tmp/out"
check "the other personality renders the same store" grep -q '^hostname saved-asa$' "$tmp/out"
check "IOS rendering" grep -q '^Building configuration...$' "$tmp/out"

# ---- damaged, foreign, unreadable stores: exit 2, file untouched ----
head -c 8192 /dev/urandom >"$tmp/garbage.db"
sum=$(md5sum <"$tmp/garbage.db")
v --db "$tmp/garbage.db" -c "show version" >/dev/null 2>"$tmp/err"
check "corrupt --db exits 2" [ $? -eq 2 ]
check "corrupt --db: one line on stderr" [ "$(wc -l <"$tmp/err")" -eq 1 ]
check "corrupt --db is not written to" [ "$(md5sum <"$tmp/garbage.db")" = "$sum" ]
printf 'enable\n' | v --db "$tmp/garbage.db" >/dev/null 2>&1
check "corrupt --db exits 2 in batch mode" [ $? -eq 2 ]
mkdir "$tmp/dir.db"
v --db "$tmp/dir.db" -c "show version" >/dev/null 2>"$tmp/err"
check "unreadable --db exits 2" [ $? -eq 2 ]

# ---- the daemon and its socket consoles ----
sock="$tmp/vpnsh.sock"
"$vpnsh" --no-apply --daemon --socket "$sock" --db "$db" 2>"$tmp/daemon.err" &
daemon_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -S "$sock" ] && break; sleep 0.1; done
check "the daemon listens" [ -S "$sock" ]
"$vpnsh" --connect "$sock" -c "show running-config" >"$tmp/out"
check "--connect -c exits 0" [ $? -eq 0 ]
check "--connect -c shows the daemon's configuration" grep -q '^hostname saved-asa$' "$tmp/out"
"$vpnsh" --connect "$sock" -c "configure terminal" -c "hostname from-socket" -c "end" -c "show run | include hostname" >"$tmp/out"
check "-c commands run in one session, in order" grep -q '^hostname from-socket$' "$tmp/out"
"$vpnsh" --connect "$sock" -c "show running-config | include ^hostname" >"$tmp/out"
check "a change made through one console is seen by the next" grep -q '^hostname from-socket$' "$tmp/out"
"$vpnsh" --connect "$sock" -c "show nothing" >/dev/null 2>&1
check "--connect -c with a failing command exits 1" [ $? -eq 1 ]
printf 'enable\nshow running-config | include ^hostname\nexit\n' | "$vpnsh" --connect "$sock" >"$tmp/out"
check "a piped console on the socket" grep -q '^from-socket# show running-config | include ^hostname$' "$tmp/out"
"$vpnsh" --no-apply --daemon --socket "$sock" --db none 2>"$tmp/err"
check "a second daemon on the same socket exits 2" [ $? -eq 2 ]
check "socket in use is reported" grep -q "in use" "$tmp/err"
if [ -x /usr/bin/python3 ]; then
	/usr/bin/python3 "$here/console_pty.py" "$vpnsh" >"$tmp/pty" 2>&1
	check "the console on a terminal ($(tail -1 "$tmp/pty"))" [ $? -eq 0 ]
	grep FAIL "$tmp/pty"
	"$vpnsh" --connect "$sock" -c "configure terminal" -c "no enable password" -c "hostname ciscoasa" >/dev/null
	/usr/bin/python3 "$here/console_pty.py" "$vpnsh" --connect "$sock" >"$tmp/pty" 2>&1
	check "a console attached to the daemon ($(tail -1 "$tmp/pty"))" [ $? -eq 0 ]
	grep FAIL "$tmp/pty"
else
	echo "skip: no /usr/bin/python3 for the terminal tests"
fi
kill "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
check "the daemon removes its socket" [ ! -e "$sock" ]
"$vpnsh" --connect "$sock" -c "show version" >/dev/null 2>&1
check "--connect to nothing exits 2" [ $? -eq 2 ]

# ---- interfaces applied to the host, in a network namespace ----
if unshare -rn true 2>/dev/null; then
	unshare -rn sh "$here/net/host_apply.sh" "$vpnsh" >"$tmp/apply" 2>&1
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "skip: $(tail -1 "$tmp/apply")"
	else
		check "interfaces applied to the host ($(tail -1 "$tmp/apply"))" [ $rc -eq 0 ]
		grep FAIL "$tmp/apply"
	fi
else
	echo "skip: no network namespace can be made here, interfaces are not applied in these tests"
fi

# ---- round trip: show running-config pasted into a fresh appliance ----
# tests/roundtrip/NAME_P.cfg is a configuration as an engineer would paste it.
for cfg in "$here"/roundtrip/*.cfg; do
	name=$(basename "$cfg" .cfg)
	case "$name" in *_ios) p=ios ;; *) p=asa ;; esac
	rm -f "$tmp/rt1.db" "$tmp/rt2.db"
	{ printf 'enable\nconfigure terminal\n'; cat "$cfg"; printf 'end\nwrite memory\n'; } |
		v --db "$tmp/rt1.db" --personality $p --strict >"$tmp/paste1" 2>&1
	check "$name: the configuration pastes with no error" [ $? -eq 0 ]
	v --db "$tmp/rt1.db" -c "show running-config" >"$tmp/run1"
	{
		printf 'enable\nconfigure terminal\n'
		grep -v -E '^(Building configuration|Current configuration|: )' "$tmp/run1"
		printf 'write memory\n'
	} | v --db "$tmp/rt2.db" --personality $p --strict >"$tmp/paste2" 2>&1
	check "$name: pasting show running-config gives no error" [ $? -eq 0 ]
	v --db "$tmp/rt2.db" -c "show running-config" >"$tmp/run2"
	sed -i 's/^Current configuration : [0-9]* bytes$/Current configuration/' "$tmp/run1" "$tmp/run2"
	check "$name: the running-config survives the round trip" cmp -s "$tmp/run1" "$tmp/run2"
	cmp -s "$tmp/run1" "$tmp/run2" || diff "$tmp/run1" "$tmp/run2" | head -20
	lines=$(grep -c -v -E '^(!|:)' "$tmp/run1")
	check "$name: the round trip covers the configuration ($lines lines)" [ "$lines" -gt 10 ]
done

# ---- one store, two dialects: an ASA configuration shown by the IOS personality ----
rm -f "$tmp/x.db"
{ printf 'enable\nconfigure terminal\n'; cat "$here/roundtrip/crypto_asa.cfg"; printf 'end\nwrite memory\n'; } |
	v --db "$tmp/x.db" >/dev/null 2>&1
v --db "$tmp/x.db" --personality ios -c "show running-config" >"$tmp/ios"
check "an ASA tunnel-group key is an IOS isakmp key" grep -q '^crypto isakmp key \*\*\*\*\* address 10.0.0.2$' "$tmp/ios"
check "an ASA ikev1 policy is an IOS isakmp policy" grep -q '^ encr aes 256$' "$tmp/ios"
check "an ASA transform set in IOS spelling" grep -q '^crypto ipsec transform-set ESP-AES256-SHA esp-aes 256 esp-sha-hmac$' "$tmp/ios"
check "an ASA crypto map entry as an IOS crypto map block" grep -q '^crypto map abcmap 1 ipsec-isakmp$' "$tmp/ios"
check "no secret in either rendering" sh -c "! grep -q 44kkaol59636jnfx '$tmp/ios'"

# ---- network tests: real peers, hosts and traffic in network namespaces ----
# net_test NAME DESC: tests/net/NAME.sh, which exits 77 when it cannot run here
net_test() {
	sh "$here/net/$1.sh" "$vpnsh" >"$tmp/$1" 2>&1
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "skip: $(tail -1 "$tmp/$1")"
	else
		check "$2 ($(tail -1 "$tmp/$1"))" [ $rc -eq 0 ]
		grep FAIL "$tmp/$1"
	fi
}
net_test ike "IKEv1 with real peers (vpnsh and strongSwan)"
net_test esp "traffic through tunnels, userspace ESP"
net_test tools "ping and packet capture"

# ---- the community's TextFSM templates parse vpnsh as they parse a device ----
ntc="$here/../../shared/reference/ntc"
if [ -x /usr/bin/python3 ] && [ -d "$ntc" ] && /usr/bin/python3 -c 'import textfsm, yaml' 2>/dev/null; then
	/usr/bin/python3 "$here/textfsm_check.py" "$vpnsh" "$ntc" >"$tmp/tfsm" 2>&1
	check "ntc-templates parse vpnsh's output ($(tail -1 "$tmp/tfsm"))" [ $? -eq 0 ]
	grep -A3 FAIL "$tmp/tfsm"
else
	echo "skip: ntc-templates or python3-textfsm not at hand ($ntc)"
fi

echo "shell tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
