#!/bin/sh
# xfrm_guest.sh -- throughput of the kernel XFRM dataplane: what it costs to
# have vpnsh install the kernel's ESP states, against the very same states
# and policies set by hand with `ip xfrm`. Runs inside the Debian kernel that
# tests/kernel/qemu.sh boots (bench/xfrm.sh starts it), or as root on any
# machine whose kernel has ESP.
#
#   h1 192.168.100.10 -- s1 10.1.0.1 -- wan -- 10.2.0.2 s2 -- h3 172.16.10.11
#
# The seed's two sites (tests/net/lib_sites.sh). Each round measures, iperf3
# TCP h1 -> h3 (one stream, BENCH_SECONDS, default 10, after 2 s of slow
# start that are not counted; client and server on the first processor, so
# that the whole path runs on it):
#   clear     s1 and s2 only route (the WAN router gets routes to the inside
#             networks for this one and loses them afterwards)
#   vpnsh     both sites run vpnsh with --dataplane xfrm; a ping brings the
#             tunnel up; the kernel's states and policies are then copied
#             (`ip -s xfrm state|policy`: algorithms, keys, SPIs, reqids,
#             replay window, selectors, limits, flags; priorities and
#             templates) and vpnsh is stopped, which removes them
#   hand-set  those states and policies put back with `ip xfrm state add` and
#             `ip xfrm policy add`, nothing running but the kernel
# for AES-256-GCM (IOS to IOS) and AES-256-CBC/HMAC-SHA1 (ASA to IOS). Odd
# rounds measure vpnsh first, even ones the hand-set states first (those
# vpnsh installed the round before), so that a drift of the machine favours
# neither.
#
# Reading it: vpnsh / hand-set near 1.00 is the goal (vpnsh adds nothing to
# the kernel's ESP). The spread column (standard deviation of the rounds) is
# the noise: TCG on a shared machine gives 10-15 % from one run to the next,
# so that a single round's ratio means little and a difference of a few
# percent needs many rounds (BENCH_ROUNDS=6: the ratio of the means to
# about +-7 %). Odd rounds measure vpnsh first, even ones hand-set first. Before
# measuring the hand-set path the script compares both sets of states and
# policies, counters and timestamps aside, and prints any difference, since
# a difference there (a flag, a replay window, a mark) could cost throughput.
# ESP out is the packet count of s1's outbound state after the run (proof
# that the traffic took the kernel's ESP), replay drops those s2's inbound
# state dropped as outside its window or replayed (0 when the path is in
# order, see pin below).
#
# usage (root): sh xfrm_guest.sh [VPNSH]   with lib_vpnsh.sh and lib_sites.sh
#        beside it or in ../tests/net; BENCH_SECONDS and BENCH_ROUNDS (2)
#        from the environment or from xfrm_bench.env beside it
set -u
vpnsh=${1:-${VPNSH:-/t/vpnsh}}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/xfrm_bench.env" ] && . "$here/xfrm_bench.env"
secs=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-2}
lib=$here
[ -f "$lib/lib_sites.sh" ] || lib=$here/../tests/net
[ "$(id -u)" = 0 ] || { echo "bench/xfrm: needs root (network namespaces, XFRM)"; exit 0; }
command -v iperf3 >/dev/null || { echo "bench/xfrm: iperf3 is not installed"; exit 0; }
tmp=$(mktemp -d)
pids=""
. "$lib/lib_vpnsh.sh"
. "$lib/lib_sites.sh"
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	sites_down
	rm -rf "$tmp"
}
trap cleanup EXIT
sites_up xb || { echo "bench/xfrm: cannot make network namespaces"; exit 1; }
port=5200
LARVAL=net/core/xfrm_larval_drop
larval_was=$(ip netns exec $S1 cat /proc/sys/$LARVAL)

# ---- measuring ----

# Both ends of iperf3 on the first processor: the whole path then runs there
# (a veth hands a packet on in the sender's softirq), in order. Spread over
# two, the client's data leaves from both (an ACK arriving on the other one
# sends more), the two halves overtake each other in the kernel's ESP, and
# TCP retransmits and s2 drops packets as outside the replay window, as
# the scheduler happens to place the ends. The second processor keeps what
# runs beside (vpnsh, this script).
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"

# iperf LABEL ROUND ESP: one TCP run h1 -> h3 (its first 2 s, the slow
# start, left out), printed and kept in $tmp/results (label, round, Mbit/s);
# ESP "yes": with s1's ESP packets out and s2's replay-window drops
iperf() {
	port=$((port + 1))
	ip netns exec $H3 $pin iperf3 -s -D -1 -p $port -I "$tmp/iperf.pid" >/dev/null 2>&1
	sleep 0.5
	mbit=$(ip netns exec $H1 $pin iperf3 -c 172.16.10.11 -p $port -O 2 -t "$secs" -f m 2>/dev/null |
		awk '/receiver/ { print $7 }')
	[ -s "$tmp/iperf.pid" ] && kill "$(cat "$tmp/iperf.pid")" 2>/dev/null
	rm -f "$tmp/iperf.pid"
	out=- drops=-
	if [ "$3" = yes ]; then
		out=$(ip -s -n $S1 xfrm state | esp_count packets)
		drops=$(ip -s -n $S2 xfrm state | esp_count replay)
	fi
	printf '%-44s %10s Mbit/s %10s ESP out %6s replay drops\n' "round $2: $1" "${mbit:-failed}" "$out" "$drops"
	printf '%s\t%s\t%s\n' "$1" "$2" "${mbit:-failed}" >>"$tmp/results"
}

# esp_count packets|replay < `ip -s xfrm state`: of the states from s1
# (src 10.1.0.1), the packets they carried or the packets they dropped as
# outside the replay window or replayed
esp_count() {
	awk -v what="$1" '
		/^src / { ours = $2 == "10.1.0.1"; next }
		/lifetime current:/ { cur = 1; next }
		cur { cur = 0; if (ours && what == "packets") { sub(/\(packets\)/, "", $2); n += $2 } }
		$1 == "replay-window" && $3 == "replay" { if (ours && what == "replay") n += $2 + $4 }
		END { print n + 0 }'
}

# ---- the gateways without vpnsh: the addresses and routes its configurations give ----

gateways() {
	ip -n $S1 addr replace 10.1.0.1/24 dev out
	ip -n $S1 addr replace 192.168.100.1/24 dev in1
	ip -n $S1 addr replace 192.168.200.1/24 dev in2
	ip -n $S1 route replace default via 10.1.0.254
	ip -n $S2 addr replace 10.2.0.2/24 dev out
	ip -n $S2 addr replace 172.16.10.1/24 dev in
	ip -n $S2 route replace default via 10.2.0.254
	for n in $S1 $S2; do ip netns exec $n sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'; done
}

clean_xfrm() {
	for n in $S1 $S2; do
		ip -n $n xfrm state flush
		ip -n $n xfrm policy flush
	done
}

run_clear() { # ROUND
	clean_xfrm
	gateways
	ip -n $W route add 192.168.100.0/24 via 10.1.0.1
	ip -n $W route add 172.16.10.0/24 via 10.2.0.2
	ping_ok $H1 172.16.10.11 3 || echo "bench/xfrm: no clear path from h1 to h3"
	iperf "clear (routing only)" "$1" no
	ip -n $W route del 192.168.100.0/24 via 10.1.0.1
	ip -n $W route del 172.16.10.0/24 via 10.2.0.2
}

# ---- vpnsh ----

stop() { # NAME
	eval "kill \$pid_$1" 2>/dev/null
	eval "wait \$pid_$1" 2>/dev/null
	[ -s "$tmp/$1.err" ] && { echo "bench/xfrm: $1 said on standard error:"; head -5 "$tmp/$1.err"; }
	return 0
}

# run_vpnsh SUITE LABEL ROUND: measure, then copy the states and policies
# into $tmp/SUITE.NS.{state,policy} (ip -s output) and stop both sites
run_vpnsh() {
	clean_xfrm
	cp "$tmp/$1.site1.cfg" "$tmp/site1.cfg"
	cp "$tmp/$1.site2.cfg" "$tmp/site2.cfg"
	vpnsh_start $S1 site1 "$(cat "$tmp/$1.pers1")" "$S1MAP" --dataplane xfrm || return
	vpnsh_start $S2 site2 ios "$S2MAP" --dataplane xfrm || { stop site1; return; }
	if ping_ok $H1 172.16.10.11 3; then
		for n in S1 S2; do
			eval "ns=\$$n"
			ip -s -n $ns xfrm state >"$tmp/$1.$n.state"
			ip -s -n $ns xfrm policy >"$tmp/$1.$n.policy"
			surroundings $ns >"$tmp/$1.$n.env"
		done
		iperf "$2" "$3" yes
	else
		echo "bench/xfrm: $2: the tunnel does not come up"
		printf '%s\t%s\tfailed\n' "$2" "$3" >>"$tmp/results"
	fi
	stop site1
	stop site2
	for n in $S1 $S2; do
		[ -z "$(ip -n $n xfrm state)$(ip -n $n xfrm policy)" ] ||
			echo "bench/xfrm: $2: vpnsh left states or policies in $n when it stopped"
	done
}

# ---- by hand ----

# copy_states < `ip -s xfrm state`: the `ip xfrm state add` arguments of each
# state (one line each; the algorithm names quoted for the shell)
copy_states() {
	awk '
	function flush() { if (c != "" && !larval) print c; c = "" }
	function num(s) { sub(/\(.*/, "", s); return s }
	function limit(kind, soft, hard) {
		soft = num(soft); hard = num(hard)
		if (soft != "" && soft != "0") c = c " limit " kind "-soft " soft
		if (hard != "" && hard != "0") c = c " limit " kind "-hard " hard
	}
	/^src / { flush(); c = "src " $2 " dst " $4; life = 0; next }
	$1 == "proto" { c = c " proto " $2 " spi " num($4) " reqid " num($6) " mode " $8; larval = num($4) ~ /^0x0*$/; next }
	$1 == "replay-window" {
		if ($2 != "0") c = c " replay-window " $2
		for (i = 3; i <= NF; i++) if ($i == "flag")
			for (j = i + 1; j <= NF && $j !~ /^\(/; j++) c = c " flag " $j
		next
	}
	$1 == "aead" { c = c " aead \047" $2 "\047 " $3 " " $NF; next }
	$1 == "enc" { c = c " enc \047" $2 "\047 " $3; next }
	$1 == "auth" { c = c " auth \047" $2 "\047 " $3; next }
	$1 == "auth-trunc" { c = c " auth-trunc \047" $2 "\047 " $3 " " $NF; next }
	$1 == "encap" { c = c " encap " $3 " " $5 " " $7 " " $9; next }
	$1 == "replay_window" { sub(/,/, "", $2); c = c " replay-window " $2; next }
	$1 == "sel" { c = c " sel"; for (i = 2; i <= NF; i++) if ($i == "uid") i++; else c = c " " $i; next }
	/lifetime config:/ { life = 1; next }
	/lifetime current:/ { life = 0; next }
	life && $1 == "limit:" && $3 ~ /bytes/ { limit("byte", $3, $5); next }
	life && $1 == "limit:" && $3 ~ /packets/ { limit("packet", $3, $5); next }
	life && $1 == "expire" && $2 == "add:" { limit("time", $4, $6); next }
	life && $1 == "expire" && $2 == "use:" { limit("time-use", $4, $6); next }
	END { flush() }'
}

# copy_policies < `ip -s xfrm policy`: the `ip xfrm policy add` arguments of
# each policy but the per-socket ones (they belong to vpnsh's IKE sockets)
copy_policies() {
	awk '
	function flush() { if (c != "" && !sock) print c; c = "" }
	/^src / { flush(); sock = 0; c = ""; for (i = 1; i <= NF; i++) if ($i == "uid") i++; else c = c " " $i; next }
	$1 == "socket" { sock = 1; next }
	$1 == "dir" {
		c = c " dir " $2
		for (i = 3; i <= NF; i++) {
			if ($i == "action" || $i == "priority" || $i == "ptype") c = c " " $i " " $(i + 1)
			if ($i == "flag") for (j = i + 1; j <= NF && $j !~ /^\(/; j++) c = c " flag " $j
		}
		next
	}
	$1 == "tmpl" { c = c " tmpl src " $3 " dst " $5; next }
	$1 == "proto" {
		c = c " proto " $2
		for (i = 3; i <= NF; i++) if ($i == "spi" || $i == "reqid" || $i == "mode") {
			v = $(i + 1); sub(/\(.*/, "", v)
			if (!($i == "spi" && v ~ /^0x0*$/)) c = c " " $i " " v
		}
		next
	}
	$1 == "level" { c = c " level " $2; next }
	END { flush() }'
}

# sig < `ip -s xfrm state|policy`: one line per state or policy, what the
# kernel uses (counters, timestamps, the replay bitmap, indexes and the
# per-socket policies left out), sorted
sig() {
	awk '
	function flush() { if (r != "" && r !~ /\|[ \t]*socket /) print r; r = "" }
	/^src / { flush(); r = $0; skip = 0; next }
	/^[ \t]*lifetime current:/ { skip = 2; next }
	/^[ \t]*stats:/ { skip = 1; next }
	skip > 0 { skip--; next }
	/^[ \t]*seq-hi / { next }
	/^[ \t]*[0-9a-f]+( [0-9a-f]+)* *$/ { next }
	{ r = r " |" $0 }
	END { flush() }' | sed 's/index [0-9]* //; s/[[:space:]][[:space:]]*/ /g' | sort
}

# differ A B: the lines only A has ("< ") and those only B has ("> ")
differ() {
	sort "$1" >"$1.sorted"
	sort "$2" >"$2.sorted"
	comm -23 "$1.sorted" "$2.sorted" | sed 's/^/< /'
	comm -13 "$1.sorted" "$2.sorted" | sed 's/^/> /'
}

# surroundings NS: what else of a gateway bears on its forwarding (links,
# addresses, routes, /proc/sys/net, nftables), counters left out
surroundings() {
	ip -n "$1" -d link | grep -v -E '^ +(RX|TX)|^ +[0-9]+ +[0-9]+ '
	ip -n "$1" addr | grep -v 'valid_lft'
	ip -n "$1" route show table all
	ip netns exec "$1" grep -r . /proc/sys/net 2>/dev/null | grep -v -E 'stable_secret|/neigh/|flush|random|hash'
	ip netns exec "$1" nft list ruleset 2>/dev/null
}

# run_hand SUITE LABEL ROUND: the states and policies of $tmp/SUITE.* by hand
run_hand() {
	[ -s "$tmp/$1.S1.state" ] && [ -s "$tmp/$1.S2.state" ] || {
		echo "bench/xfrm: $2: no states of vpnsh's to copy"
		printf '%s\t%s\tfailed\n' "$2" "$3" >>"$tmp/results"
		return
	}
	clean_xfrm
	gateways
	for n in $S1 $S2; do # as vpnsh sets it: the first packets of an acquire wait
		ip netns exec $n sh -c "echo 0 >/proc/sys/$LARVAL"
	done
	for n in S1 S2; do
		eval "ns=\$$n"
		{
			copy_states <"$tmp/$1.$n.state" | sed "s/^/ip -n $ns xfrm state add /"
			copy_policies <"$tmp/$1.$n.policy" | sed "s/^/ip -n $ns xfrm policy add /"
		} >"$tmp/$1.$n.sh"
		sh -e "$tmp/$1.$n.sh" || echo "bench/xfrm: $2: ip xfrm refused a copy ($n)"
		# the first hand-set run of a suite: are they the same as vpnsh's?
		if [ ! -f "$tmp/$1.$n.compared" ]; then
			touch "$tmp/$1.$n.compared"
			sig <"$tmp/$1.$n.state" >"$tmp/a"
			ip -s -n $ns xfrm state | sig >"$tmp/b"
			sig <"$tmp/$1.$n.policy" >>"$tmp/a"
			ip -s -n $ns xfrm policy | sig >>"$tmp/b"
			surroundings $ns >"$tmp/c"
			if cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/$1.$n.env" "$tmp/c"; then
				echo "$2: $n as under vpnsh: the same $(grep -c -v ' dir ' "$tmp/a") states," \
					"$(grep -c ' dir ' "$tmp/a") policies, interfaces, routes and settings"
			else
				echo "$2: $n differs from what vpnsh set (< vpnsh, > by hand):"
				differ "$tmp/a" "$tmp/b" | sed 's/0x[0-9a-f]\{16,\}/KEY/g'
				differ "$tmp/$1.$n.env" "$tmp/c"
			fi
		fi
	done
	if ping_ok $H1 172.16.10.11 3; then
		iperf "$2" "$3" yes
	else
		echo "bench/xfrm: $2: no traffic through the states set by hand"
		printf '%s\t%s\tfailed\n' "$2" "$3" >>"$tmp/results"
	fi
	clean_xfrm
	for n in $S1 $S2; do ip netns exec $n sh -c "echo $larval_was >/proc/sys/$LARVAL"; done
}

# ---- the suites ----

# AES-256-GCM: IOS to IOS, as tests/net/esp.sh
site1_ios "crypto ipsec transform-set TS esp-gcm 256" >"$tmp/gcm.site1.cfg"
site2 "crypto ipsec transform-set TS esp-gcm 256" >"$tmp/gcm.site2.cfg"
echo ios >"$tmp/gcm.pers1"
# AES-256-CBC/HMAC-SHA1: ASA to IOS
site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/cbc.site1.cfg"
site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" >"$tmp/cbc.site2.cfg"
echo asa >"$tmp/cbc.pers1"
label_gcm="AES-256-GCM"
label_cbc="AES-256-CBC/HMAC-SHA1"

echo "kernel ESP (XFRM), h1 to h3 through one tunnel: vpnsh's states against the same set by hand"
echo "($(uname -r), $(nproc) processors, iperf3 TCP ${secs}s after 2 s of slow start, one stream" \
	"${pin:+on processor 0}, $rounds rounds)"
: >"$tmp/results"
round=1
while [ $round -le "$rounds" ]; do
	run_clear $round
	for suite in gcm cbc; do
		eval "name=\$label_$suite"
		if [ $((round % 2)) -eq 1 ] || [ ! -s "$tmp/$suite.S1.state" ]; then
			run_vpnsh $suite "vpnsh xfrm $name" $round
			run_hand $suite "hand-set xfrm $name" $round
		else
			run_hand $suite "hand-set xfrm $name" $round
			run_vpnsh $suite "vpnsh xfrm $name" $round
		fi
	done
	round=$((round + 1))
done

# the table: each path by round, the mean and the spread (the rounds'
# standard deviation, in percent of the mean), and vpnsh / hand-set
echo
awk -F '\t' -v rounds="$rounds" -v gcm="$label_gcm" -v cbc="$label_cbc" '
	function mean(l,   i, s, n) {
		for (i = 1; i <= rounds; i++) if (v[l, i] + 0 > 0) { s += v[l, i]; n++ }
		return n ? s / n : 0
	}
	function spread(l,   i, m, d, n) {
		m = mean(l)
		for (i = 1; i <= rounds; i++) if (v[l, i] + 0 > 0) { d += (v[l, i] - m) ^ 2; n++ }
		return n > 1 ? sprintf("%.0f%%", 100 * sqrt(d / (n - 1)) / m) : "-"
	}
	{ if (!($1 in seen)) { seen[$1] = 1; order[++np] = $1 }; v[$1, $2] = $3 }
	END {
		printf "%-40s", "Mbit/s"
		for (i = 1; i <= rounds; i++) printf " %8s", "round " i
		printf " %8s %7s\n", "mean", "spread"
		for (p = 1; p <= np; p++) {
			l = order[p]
			printf "%-40s", l
			for (i = 1; i <= rounds; i++) printf " %8s", ((l, i) in v) ? v[l, i] : "-"
			m = mean(l)
			printf " %8s %7s\n", (m > 0 ? sprintf("%.1f", m) : "failed"), spread(l)
		}
		split(gcm "\n" cbc, names, "\n")
		for (k = 1; k <= 2; k++) {
			a = "vpnsh xfrm " names[k]; b = "hand-set xfrm " names[k]
			printf "%-40s", "vpnsh / hand-set " names[k]
			sa = sb = 0 # the means of the rounds where both succeeded
			for (i = 1; i <= rounds; i++)
				if (v[a, i] + 0 > 0 && v[b, i] + 0 > 0) {
					printf " %8.2f", v[a, i] / v[b, i]
					sa += v[a, i]; sb += v[b, i]
				} else
					printf " %8s", "-"
			printf " %8s\n", (sb > 0 ? sprintf("%.2f", sa / sb) : "-")
		}
	}' "$tmp/results"
