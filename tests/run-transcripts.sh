#!/bin/sh
# run-transcripts.sh -- transcript tests of batch mode.
#
# Each tests/transcripts/NAME.in is pasted into a fresh appliance (no startup
# file; ASA personality unless NAME ends in _ios) and standard output must be
# exactly NAME.out. They run in an empty network namespace, so interface
# commands meet only `lo` and nothing on the host changes.
#
# usage: tests/run-transcripts.sh path/to/vpnsh [NAME ...]
#        VPNSH_REGEN=1 tests/run-transcripts.sh vpnsh NAME   rewrites NAME.out
set -u
vpnsh=$(realpath "${1:?usage: run-transcripts.sh VPNSH [NAME...]}")
shift
dir=$(dirname "$0")/transcripts
netns="unshare -rn"
if ! unshare -rn true 2>/dev/null; then
	echo "transcripts: no network namespace can be made here; interface state is the host's (--no-apply)"
	netns=""
fi
names="$*"
[ -n "$names" ] || names=$(cd "$dir" && ls *.in | sed 's/\.in$//')
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in $names; do
	case "$name" in *_ios) p=ios ;; *) p=asa ;; esac
	$netns "$vpnsh" --db none --personality "$p" --no-apply <"$dir/$name.in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "${VPNSH_REGEN:-}" = 1 ]; then
		cp "$tmp/out" "$dir/$name.out"
	fi
	if [ $rc -eq 0 ] && diff -u "$dir/$name.out" "$tmp/out" >"$tmp/diff" && [ ! -s "$tmp/err" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: transcript $name (exit $rc)"
		head -60 "$tmp/diff"
		head -5 "$tmp/err"
	fi
done
echo "transcripts: $pass passed, $fail failed"
[ $fail -eq 0 ]
