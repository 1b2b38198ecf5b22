#!/bin/sh
# esp.sh -- throughput of the ESP dataplane, host to host through one tunnel,
# side by side in one run: the clear path (the two gateways only route),
# vpnsh to vpnsh (its userspace ESP over TUN), and strongSwan to strongSwan
# (its kernel-libipsec userspace dataplane, which forces UDP encapsulation),
# each with AES-256-CBC/HMAC-SHA1 and AES-256-GCM.
#
#   ha 192.168.100.10 -- gwa 10.0.0.1 ==== 10.0.0.2 gwb -- hb 172.16.10.11
#
# Figures: iperf3 TCP (one stream, BENCH_SECONDS, default 10) in Mbit/s, and
# packets per second of 64-byte UDP datagrams (IP size) that reach hb.
# The machine is shared and noisy: compare the columns of one run.
#
# usage (as root): bench/esp.sh [VPNSH]
set -u
vpnsh=$(realpath "${1:-build/vpnsh}")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/net/lib_strongswan.sh"
secs=${BENCH_SECONDS:-10}
[ "$(id -u)" = 0 ] || { echo "bench/esp: needs root (network namespaces)"; exit 0; }
command -v iperf3 >/dev/null || { echo "bench/esp: iperf3 is not installed (make setup)"; exit 0; }
tmp=$(mktemp -d)
GA=bgA$$ GB=bgB$$ HA=bhA$$ HB=bhB$$
cleanup() {
	[ -n "${pa:-}" ] && kill "$pa" 2>/dev/null
	[ -n "${pb:-}" ] && kill "$pb" 2>/dev/null
	wait 2>/dev/null
	sw_stop "$tmp/swa" 2>/dev/null
	sw_stop "$tmp/swb" 2>/dev/null
	for n in $GA $GB $HA $HB; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

fresh_topology() {
	for n in $GA $GB $HA $HB; do ip netns del "$n" 2>/dev/null; done
	for n in $GA $GB $HA $HB; do ip netns add "$n" && ip -n "$n" link set lo up; done
	ip link add out netns $GA type veth peer name out netns $GB
	ip link add in netns $GA type veth peer name eth0 netns $HA
	ip link add in netns $GB type veth peer name eth0 netns $HB
	for n in $GA $GB; do ip -n $n link set out up; ip -n $n link set in up; done
	for n in $HA $HB; do ip -n $n link set eth0 up; done
	ip -n $HA addr add 192.168.100.10/24 dev eth0
	ip -n $HA route add default via 192.168.100.1
	ip -n $HB addr add 172.16.10.11/24 dev eth0
	ip -n $HB route add default via 172.16.10.1
}

gateway_addresses() {
	ip -n $GA addr add 10.0.0.1/24 dev out
	ip -n $GA addr add 192.168.100.1/24 dev in
	ip -n $GB addr add 10.0.0.2/24 dev out
	ip -n $GB addr add 172.16.10.1/24 dev in
	ip netns exec $GA sysctl -qw net.ipv4.ip_forward=1
	ip netns exec $GB sysctl -qw net.ipv4.ip_forward=1
}

# measure LABEL: print one line of figures for the current topology
measure() {
	ip netns exec $HB iperf3 -s -D -1 -p 5201 >/dev/null 2>&1
	ip netns exec $HA ping -q -c 3 -i 0.2 -W 2 172.16.10.11 >/dev/null 2>&1 # the tunnel up first
	sleep 0.3
	tcp=$(ip netns exec $HA iperf3 -c 172.16.10.11 -p 5201 -t "$secs" -f m 2>/dev/null |
		awk '/receiver/ { print $7 }')
	ip netns exec $HB iperf3 -s -D -1 -p 5202 >/dev/null 2>&1
	sleep 0.3
	# 64-byte IP packets: 36 bytes of UDP payload
	pps=$(ip netns exec $HA iperf3 -c 172.16.10.11 -p 5202 -u -b 0 -l 36 -t 5 -J 2>/dev/null |
		/usr/bin/python3 -c 'import json,sys
d=json.load(sys.stdin)["end"]["sum"]
print(int(d["packets"]*(1-d["lost_percent"]/100)/d["seconds"]))' 2>/dev/null)
	printf '%-44s %10s Mbit/s %12s pps\n' "$1" "${tcp:-failed}" "${pps:-failed}"
	echo "$1 ${tcp:-0} ${pps:-0}" >>"$tmp/figures"
}

ios_site() { # NAME LOCAL PEER LOCAL-NET PEER-NET TRANSFORM
	cat <<EOF
enable
configure terminal
hostname $1
interface GigabitEthernet0/0
 ip address $2 255.255.255.0
 no shutdown
interface GigabitEthernet0/1
 ip address $4.1 255.255.255.0
 no shutdown
exit
ip access-list extended VPN
 permit ip $4.0 0.0.0.255 $5.0 0.0.0.255
exit
crypto isakmp policy 10
 authentication pre-share
 encryption aes 256
 hash sha
 group 14
exit
crypto isakmp key benchkey address $3
crypto ipsec transform-set TS $6
exit
crypto map CMAP 10 ipsec-isakmp
 set peer $3
 set transform-set TS
 match address VPN
exit
interface GigabitEthernet0/0
 crypto map CMAP
end
write memory
EOF
}

run_vpnsh() { # LABEL TRANSFORM
	fresh_topology
	ios_site gwa 10.0.0.1 10.0.0.2 192.168.100 172.16.10 "$2" >"$tmp/a.cfg"
	ios_site gwb 10.0.0.2 10.0.0.1 172.16.10 192.168.100 "$2" >"$tmp/b.cfg"
	for s in a b; do
		rm -f "$tmp/$s.db"
		"$vpnsh" --db "$tmp/$s.db" --personality ios --no-apply --strict <"$tmp/$s.cfg" >/dev/null 2>&1 ||
			{ echo "bench/esp: the configuration does not paste"; return; }
	done
	ip netns exec $GA "$vpnsh" --db "$tmp/a.db" --daemon --socket "$tmp/a.sock" --dataplane userspace \
		--interface-map "GigabitEthernet0/0=out,GigabitEthernet0/1=in" >/dev/null 2>&1 &
	pa=$!
	ip netns exec $GB "$vpnsh" --db "$tmp/b.db" --daemon --socket "$tmp/b.sock" --dataplane userspace \
		--interface-map "GigabitEthernet0/0=out,GigabitEthernet0/1=in" >/dev/null 2>&1 &
	pb=$!
	n=0
	while { [ ! -S "$tmp/a.sock" ] || [ ! -S "$tmp/b.sock" ]; } && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	measure "$1"
	kill $pa $pb 2>/dev/null
	wait $pa $pb 2>/dev/null
	pa="" pb=""
	rm -f "$tmp/a.sock" "$tmp/b.sock"
}

run_strongswan() { # LABEL ESP-PROPOSAL
	fresh_topology
	gateway_addresses
	mkdir -p "$tmp/swa" "$tmp/swb"
	sw_conf_v1 "$tmp/swa/swanctl.conf" gw 10.0.0.1 10.0.0.2 192.168.100.0/24 172.16.10.0/24 \
		aes256-sha1-modp2048 "$2" benchkey no trap
	sw_conf_v1 "$tmp/swb/swanctl.conf" gw 10.0.0.2 10.0.0.1 172.16.10.0/24 192.168.100.0/24 \
		aes256-sha1-modp2048 "$2" benchkey no none
	if sw_start $GA "$tmp/swa" >/dev/null 2>&1 && sw_start $GB "$tmp/swb" >/dev/null 2>&1; then
		sw_initiate "$tmp/swa" net gw >/dev/null 2>&1
		measure "$1"
	else
		printf '%-44s %s\n' "$1" "strongSwan did not start"
	fi
	sw_stop "$tmp/swa"
	sw_stop "$tmp/swb"
}

run_clear() {
	fresh_topology
	gateway_addresses
	ip -n $GA route add 172.16.10.0/24 via 10.0.0.2
	ip -n $GB route add 192.168.100.0/24 via 10.0.0.1
	measure "clear (routing only)"
}

# BENCH_ONLY=vpnsh|strongswan|clear runs one kind alone (profiling)
only=${BENCH_ONLY:-}
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }
echo "ESP dataplane, host to host through one tunnel ($(nproc) processors, iperf3 TCP ${secs}s, one stream)"
want clear && run_clear
want vpnsh && [ -z "${BENCH_GCM_ONLY:-}" ] && run_vpnsh "vpnsh userspace AES-256-CBC/HMAC-SHA1" "esp-aes 256 esp-sha-hmac"
want strongswan && run_strongswan "strongSwan libipsec AES-256-CBC/HMAC-SHA1" aes256-sha1
want vpnsh && run_vpnsh "vpnsh userspace AES-256-GCM" "esp-gcm 256"
want strongswan && run_strongswan "strongSwan libipsec AES-256-GCM" aes256gcm16
# vpnsh against strongSwan, cipher by cipher, from this run's figures
[ -s "$tmp/figures" ] && awk '
	/^vpnsh userspace/ { c = $(NF-2); v[c] = $(NF-1); vp[c] = $NF }
	/^strongSwan libipsec/ { c = $(NF-2); s[c] = $(NF-1); sp[c] = $NF }
	END { for (c in v) if (s[c] > 0 && v[c] > 0)
		printf "vpnsh / strongSwan, %-30s %5.1fx TCP %5.1fx 64-byte packets\n", c ":", v[c] / s[c], (sp[c] > 0 ? vp[c] / sp[c] : 0) }' \
	"$tmp/figures"
