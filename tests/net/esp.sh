#!/bin/sh
# esp.sh -- traffic through real tunnels: the two sites of the seed scenario,
# hosts in namespaces of their own, a WAN router between that knows nothing
# of the inside networks. vpnsh (ASA) at site 1, vpnsh (IOS) or strongSwan
# (libipsec, UDP encapsulation) at site 2; vpnsh's userspace ESP carries it.
#
#   h1 192.168.100.10 --+                                   +-- h3 172.16.10.11
#   h2 192.168.200.10 --+- s1 --10.1.0.0/24-- wan --10.2.0.0/24-- s2
#
# A ping from h1 brings the tunnel up and every echo, the first included, is
# answered; the counters of `show crypto ipsec sa` equal the packets; a ping
# from h2 adds a second SA pair under the same phase 1; replayed and
# tampered ESP is dropped and counted without disturbing the SA.
#
# usage (as root): esp.sh VPNSH    exit 77 when namespaces cannot be made
set -u
vpnsh=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_strongswan.sh"

[ "$(id -u)" = 0 ] || { echo "esp: needs root for network namespaces"; exit 77; }
tmp=$(mktemp -d)
pids=""
. "$here/lib_vpnsh.sh"
. "$here/lib_sites.sh"
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	sw_stop "$tmp/sw" 2>/dev/null
	sites_down
	[ "$fail" -eq 0 ] && [ -z "${ESP_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
sites_up esp$$ || { echo "esp: cannot make network namespaces"; exit 77; }

start_vpnsh() { vpnsh_start "$@" --dataplane userspace; }
stop_vpnsh() { vpnsh_stop "$@"; }

# The sealed packets leave through a packet socket, straight onto the link
# toward the next hop, while the kernel's neighbour entry for it has an
# address: the firewall's output hook (an nftables counter on site 1) sees
# none of them. A next hop the kernel does not resolve (a NOARP entry) sends
# them through the kernel's output path, and once the kernel resolved it
# again they go straight onto the link again.
esp_out() { ip netns exec $S1 nft list chain ip vpnsh_test out | awk '/counter packets/ { print $(NF-2) }'; }
link_path() {
	command -v nft >/dev/null || { echo "esp: nft is not installed: the link path checks are skipped"; return; }
	echo 'table ip vpnsh_test { chain out { type filter hook output priority 0; ip protocol esp counter; }; }' |
		ip netns exec $S1 nft -f -
	check "link path: h1 pings h3 (10/10)" ping_ok $H1 172.16.10.11 10
	check "link path: the output hook saw no ESP (sent straight onto the link)" [ "$(esp_out)" = 0 ]
	mac=$(ip -n $W link show w1 | awk '/link\/ether/ { print $2 }')
	ip -n $S1 neigh replace 10.1.0.254 dev out lladdr "$mac" nud noarp
	sleep 1.5 # the dataplane looks its next hops up every second
	check "link path: with a NOARP next hop, h1 pings h3 (5/5)" ping_ok $H1 172.16.10.11 5
	check "link path: ... the ESP took the kernel's output path (5 packets)" [ "$(esp_out)" -ge 5 ]
	ip -n $S1 neigh del 10.1.0.254 dev out
	sleep 1.5
	check "link path: the kernel resolves the next hop again (3/3)" ping_ok $H1 172.16.10.11 3
	check "link path: ... as a reachable neighbour" sh -c "ip -n $S1 neigh show 10.1.0.254 dev out | grep -q REACHABLE"
	sleep 1.5
	n0=$(esp_out)
	check "link path: h1 pings h3 (5/5)" ping_ok $H1 172.16.10.11 5
	check "link path: ... straight onto the link again" [ "$(esp_out)" = "$n0" ]
	ip netns exec $S1 nft delete table ip vpnsh_test
}

# Packets bigger than the tunnel's MTU (1400): fragmented before encryption
# when DF is clear, refused with ICMP "fragmentation needed" when it is set.
big_packets() {
	check "3000-byte echos are fragmented and cross the tunnel (3/3)" \
		sh -c "ip netns exec $H1 ping -n -q -c 3 -i 0.2 -W 2 -s 3000 172.16.10.11 | grep -q ' 3 received'"
	check "show crypto ipsec sa: 3 packets fragmented before encryption (each of h1's 1500-byte fragments in two, its last as it is: 5 each)" \
		counts_are site1 '#pre-frag successes' 3 '#fragments created' 15
	ip netns exec $H1 ping -n -c 1 -W 2 -M do -s 1450 172.16.10.11 >"$tmp/df.out" 2>&1
	check "a 1478-byte echo with DF set is refused: fragmentation needed, mtu 1400" \
		grep -q -i "frag needed and DF set (mtu = 1400)\|message too long, mtu=1400\|mtu = 1400" "$tmp/df.out"
	check "after it, a 1372-byte echo with DF fits (1/1)" \
		sh -c "ip netns exec $H1 ping -n -q -c 1 -W 2 -M do -s 1372 172.16.10.11 | grep -q ' 1 received'"
}

# attack MODE COUNT: ESP from site2 to site1, taken off the WAN, sent again
# (damaged or not) by the router; prints the number of packets it sent
attack() {
	ip netns exec $W /usr/bin/python3 "$here/esp_inject.py" w1 10.2.0.2 10.1.0.1 "$1" "$2" >"$tmp/inject.out" 2>&1 &
	ip=$!
	sleep 0.5
	ip netns exec $H1 ping -n -q -c 2 -i 0.2 -W 2 172.16.10.11 >/dev/null 2>&1
	wait $ip && grep -q "sent $2" "$tmp/inject.out"
}

# The ntc-templates parsers read the live shows as they read the devices'
# (h1 and h3 exchanged 5 + 10 echos over the first pair, h2 and h3 5). The
# ASA's `show crypto ikev1 sa detail` template reads the 8.x table, not the
# 9.x blocks vpnsh prints, and is left out.
ntc="$here/../../../shared/reference/ntc"
have_ntc() {
	[ -d "$ntc" ] && /usr/bin/python3 -c 'import textfsm' 2>/dev/null && return 0
	echo "esp: ntc-templates or python3-textfsm not at hand: the parser checks are skipped"
	return 1
}
tfsm() { # NAME COMMAND TEMPLATE FIELD=VALUE...
	n=$1 c=$2 t=$3
	shift 3
	v "$n" "$c" >"$tmp/show.out"
	/usr/bin/python3 "$here/ntc_live.py" "$ntc" "$t" "$tmp/show.out" "$@"
}
# The IOS detail template knows one SA pair per interface: read while there is one.
parsers_one_pair() {
	have_ntc || return
	check "ntc: IOS show crypto ipsec sa detail" tfsm site2 "show crypto ipsec sa detail" \
		cisco_ios_show_crypto_ipsec_sa_detail.textfsm PKTS_ENCAPS=5 PKTS_DECAPS=5 CURRENT_PEER=10.1.0.1 \
		PKTS_REPLAY_FAILED=0 SA_REPLAY_WINDOW_SIZE=64
}
parsers() {
	have_ntc || return
	check "ntc: ASA show crypto ipsec sa" tfsm site1 "show crypto ipsec sa" cisco_asa_show_crypto_ipsec_sa.textfsm \
		PACKETS_ENCAPSULATED=15 PACKETS_DECAPSULATED=15 CURRENT_PEER=10.2.0.2 LOCAL_IDENTITY_ADDR=192.168.200.0 \
		CRYPTO_MAP_TAG=CMAP
	check "ntc: ASA show vpn-sessiondb detail l2l" tfsm site1 "show vpn-sessiondb detail l2l" \
		cisco_asa_show_vpn-sessiondb_detail_l2l.textfsm CONNECTION=10.2.0.2 LOGIN_TIME TOTAL_BYTES_TRANSMITTED
	check "ntc: IOS show crypto session detail" tfsm site2 "show crypto session detail" \
		cisco_ios_show_crypto_session_detail.textfsm
}

attacks() { # on site1, whose SA from site2 must survive them all
	e0=$(counter site1 '#recv errors')
	check "replay: replayed ESP sent by the router" attack replay 3
	check "replay: 3 replays counted as receive errors" [ "$(counter site1 '#recv errors')" -eq $((e0 + 3)) ]
	check "replay: the anti-replay bitmap shows the window" has site1 "show crypto ipsec sa" "0x00000000 0x0000"
	check "tamper: a damaged ESP packet sent" attack tamper 2
	check "tamper: counted as receive errors (bad ICV)" [ "$(counter site1 '#recv errors')" -eq $((e0 + 5)) ]
	check "replay: the ASA logs %ASA-4-402119 (failed anti-replay checking)" \
		has site1 "show logging" "%ASA-4-402119: IPSEC: Received an ESP packet (SPI= 0x.*) from 10.2.0.2 (user= 10.2.0.2) to 10.1.0.1 that failed anti-replay checking."
	check "tamper: the ASA logs %ASA-4-402120 (failed authentication)" \
		has site1 "show logging" "%ASA-4-402120: .* that failed authentication."
	check "truncate: a truncated ESP packet sent" attack truncate 1
	check "truncate: counted" [ "$(counter site1 '#recv errors')" -eq $((e0 + 6)) ]
	d0=$(counter site1 '#pkts decaps')
	check "unknown SPI: sent" attack badspi 4
	check "unknown SPI: not counted on the SA" [ "$(counter site1 '#pkts decaps')" -eq $((d0 + 2)) ]
	check "unknown SPI: the ASA logs %ASA-4-402114 (invalid SPI)" \
		has site1 "show logging" "%ASA-4-402114: IPSEC: Received an ESP packet (SPI= 0x7EADBEEF, .* with an invalid SPI."
	check "after the attacks the tunnel still carries traffic (5/5)" ping_ok $H1 172.16.10.11 5
	check "after the attacks: still one SA pair for h1" \
		[ "$(v site1 'show crypto ipsec sa' | grep -c 'current outbound spi')" -eq 2 ]
}

# ---- vpnsh to vpnsh ----

suite_vpnsh() { # LABEL SITE1-TRANSFORM IOS-TRANSFORM [ios]: site 1 an ASA, or an IOS router
	label=$1
	if [ "${4:-asa}" = ios ]; then site1_ios "$2"; else site1 "$2"; fi >"$tmp/site1.cfg"
	site2 "$3" >"$tmp/site2.cfg"
	# site 1 runs two workers (SPIs shared out by the sockets' filters, a
	# TUN queue each), site 2 its default: one per processor but one
	start_vpnsh $S1 site1 "${4:-asa}" "$S1MAP" --dataplane-workers 2 || return
	start_vpnsh $S2 site2 ios "$S2MAP" || return
	check "$label: show version names the userspace dataplane" has site1 "show version" "ESP dataplane: userspace"
	check "$label: site1 runs the 2 workers it was asked for" has site1 "show version" "2 worker threads"
	n=$(($(nproc) - 1)); [ $n -ge 1 ] || n=1; [ $n -le 8 ] || n=8
	check "$label: site2 runs one worker per processor but one ($n)" has site2 "show version" " $n worker thread"
	check "$label: no SA before traffic" [ -z "$(v site1 'show crypto ipsec sa' | grep 'current outbound spi')" ]
	check "$label: h1 pings h3 through the tunnel, the first echo included (5/5)" ping_ok $H1 172.16.10.11 5
	check "$label: site1 encapsulated 5 packets" [ "$(counter site1 '#pkts encaps')" = 5 ]
	check "$label: site1 decapsulated 5 packets" [ "$(counter site1 '#pkts decaps')" = 5 ]
	check "$label: site2 decapsulated 5 and encapsulated 5" counts_are site2 '#pkts decaps' 5 '#pkts encaps' 5
	[ "$label" = "aes-256/sha1" ] && parsers_one_pair
	check "$label: show crypto session says UP-ACTIVE" has site2 "show crypto session" "Session status: UP-ACTIVE"
	[ "${4:-asa}" = asa ] && check "$label: show vpn-sessiondb detail l2l counts the bytes" \
		sh -c "'$vpnsh' --connect '$tmp/site1.sock' -c 'show vpn-sessiondb detail l2l' | grep -q 'Bytes Tx *: [1-9]'"
	check "$label: the WAN router has no route to the inside networks" \
		[ -z "$(ip -n $W route show 192.168.100.0/24; ip -n $W route show 172.16.10.0/24)" ]
	check "$label: h2 pings h3 (5/5)" ping_ok $H2 172.16.10.11 5
	check "$label: a second SA pair under the same phase 1" \
		[ "$(v site1 'show crypto ipsec sa' | grep -c 'current outbound spi')" -eq 2 ]
	check "$label: one IKE SA" [ "$(v site1 'show crypto isakmp sa' | grep -c -E 'MM_ACTIVE|QM_IDLE')" -eq 1 ]
	check "$label: h3 pings h1 back (10/10)" ping_ok $H3 192.168.100.10 10
	check "$label: no errors counted" [ "$(counter site1 '#recv errors')" = 0 ]
	[ -n "${SITE2_EXTRA:-}" ] && check "$label: the replay window is the configured one (1024)" \
		has site2 "show crypto ipsec sa detail" "replay window size: 1024"
	[ "$label" = "aes-256/sha1" ] && parsers
	[ "$label" = "aes-256/sha1" ] && big_packets
	[ "$label" = "aes-256/sha1" ] && attacks
	[ "$label" = "aes-256/sha1" ] && link_path
	if [ "${4:-asa}" = ios ]; then clear="clear crypto sa counters"; else clear="clear crypto ipsec sa counters"; fi
	v site1 "$clear" >/dev/null
	check "$label: $clear: from zero" [ "$(counter site1 '#pkts encaps')" = 0 ]
	check "$label: $clear: the SAs stay" has site1 "show crypto ipsec sa" "current outbound spi"
	stop_vpnsh site1
	stop_vpnsh site2
	check "$label: the TUN device and the rules went with the daemon" \
		[ -z "$(ip -n $S1 link show vpnsh0 2>/dev/null; ip -n $S1 rule | grep 2200)" ]
}

suite_vpnsh "aes-256/sha1" "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" \
	"crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac"
SITE2_EXTRA="crypto ipsec security-association replay window-size 1024" \
	suite_vpnsh "aes-gcm-256 (IOS to IOS)" "crypto ipsec transform-set TS esp-gcm 256" \
	"crypto ipsec transform-set TS esp-gcm 256" ios
suite_vpnsh "3des/md5" "crypto ipsec ikev1 transform-set TS esp-3des esp-md5-hmac" \
	"crypto ipsec transform-set TS esp-3des esp-md5-hmac"

# ---- a deny line of the crypto ACL exempts its traffic ----

suite_deny() {
	label="deny line"
	SITE1_EXTRA="access-list VPN line 1 extended deny ip host 192.168.200.10 172.16.10.0 255.255.255.0
crypto ipsec df-bit clear-df outside" \
		site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/site1.cfg"
	site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" >"$tmp/site2.cfg"
	start_vpnsh $S1 site1 asa "$S1MAP" || return
	start_vpnsh $S2 site2 ios "$S2MAP" || return
	ip netns exec $W timeout 6 tcpdump -n -v -i w1 -c 1 esp and src host 10.1.0.1 >"$tmp/esp.out" 2>/dev/null &
	dump=$!
	sleep 1
	check "$label: h1's traffic is protected (3/3)" ping_ok $H1 172.16.10.11 3
	wait $dump
	check "crypto ipsec df-bit clear-df: the outer header has no DF (the inner has)" grep -q "flags \[none\]" "$tmp/esp.out"
	check "crypto ipsec df-bit clear-df: shown as the DF policy" has site1 "show crypto ipsec sa" "DF policy: clear-df"
	ip netns exec $W timeout 6 tcpdump -n -i w1 -c 1 icmp and src host 192.168.200.10 >"$tmp/clear.out" 2>/dev/null &
	dump=$!
	sleep 1
	ip netns exec $H2 ping -n -q -c 2 -i 0.3 -W 1 172.16.10.11 >/dev/null 2>&1
	wait $dump
	check "$label: h2's, exempted, leaves in the clear (the WAN sees its ICMP)" grep -q "192.168.200.10 > 172.16.10.11" "$tmp/clear.out"
	check "$label: and no SA pair is made for it" \
		sh -c "! '$vpnsh' --connect '$tmp/site1.sock' -c 'show crypto ipsec sa' | grep -q '192.168.200.0/255.255.255.0'"
	stop_vpnsh site1
	stop_vpnsh site2
}
if command -v tcpdump >/dev/null 2>&1; then
	suite_deny
else
	echo "esp: tcpdump is not installed: the deny-line suite is skipped"
fi

# ---- a volume lifetime: 50 KB, renewed at 90% while the traffic flows ----

suite_volume() {
	label="volume lifetime"
	SITE1_EXTRA="crypto map CMAP 10 set security-association lifetime kilobytes 50" \
		site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/site1.cfg"
	site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" >"$tmp/site2.cfg"
	start_vpnsh $S1 site1 asa "$S1MAP" || return
	start_vpnsh $S2 site2 ios "$S2MAP" || return
	check "$label: the tunnel comes up (3/3)" ping_ok $H1 172.16.10.11 3
	first=$(v site1 "show crypto ipsec sa" | sed -n 's/.*current outbound spi: //p')
	check "$label: the SA shows its 50 KB" has site1 "show crypto ipsec sa" "remaining key lifetime (kB/sec): (\\(49\\|50\\)/"
	# 80 echos of 1000 bytes each way: about 80 KB, past the limit
	ip netns exec $H1 ping -n -q -c 80 -i 0.02 -W 2 -s 972 172.16.10.11 >"$tmp/ping.out" 2>&1
	check "$label: the traffic went on across the renewal (at most 2 of 80 lost)" \
		grep -q -E " (80|79|78) received" "$tmp/ping.out"
	now=$(v site1 "show crypto ipsec sa" | sed -n 's/.*current outbound spi: //p')
	check "$label: a new SA pair replaced the spent one" [ -n "$now" -a "$now" != "$first" ]
	check "$label: phase 2 completed more than once" \
		sh -c "'$vpnsh' --connect '$tmp/site1.sock' -c 'show crypto isakmp stats' | grep -q 'Phase 2 completed / failed:  [2-9] / 0'"
	stop_vpnsh site1
	stop_vpnsh site2
}
suite_volume

# ---- an idle pair is not renewed; the next packet brings a new one up ----

suite_idle() {
	label="idle pair"
	SITE1_EXTRA="crypto map CMAP 10 set security-association lifetime seconds 120" \
		site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/site1.cfg"
	site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" >"$tmp/site2.cfg"
	start_vpnsh $S1 site1 asa "$S1MAP" || return
	start_vpnsh $S2 site2 ios "$S2MAP" || return
	# up without a packet crossing: the ASA's packet-tracer only negotiates
	v site1 "packet-tracer input inside icmp 192.168.100.10 8 0 172.16.10.11" >/dev/null
	sleep 1
	check "$label: the pair is up, no packet crossed" has site1 "show crypto ipsec sa" "#pkts encaps: 0"
	sleep 125
	check "$label: at the end of its 120 s it is gone, not renewed" \
		sh -c "! '$vpnsh' --connect '$tmp/site1.sock' -c 'show crypto ipsec sa' | grep -q 'current outbound spi'"
	check "$label: one phase 2 so far" has site1 "show crypto isakmp stats" "Phase 2 completed / failed:  1 / 0"
	check "$label: the appliance's own ping from inside brings a new pair up, every echo answered" \
		has site1 "ping inside 172.16.10.11" "Success rate is 100 percent (5/5)"
	check "$label: ... a second phase 2" has site1 "show crypto isakmp stats" "Phase 2 completed / failed:  2 / 0"
	check "$label: h1 pings through the same pair (5/5)" ping_ok $H1 172.16.10.11 5
	stop_vpnsh site1
	stop_vpnsh site2
}
suite_idle

# ---- site 1 behind a NAT: the router masquerades it as 10.2.0.254 ----

suite_nat() {
	label="behind NAT"
	SITE1_EXTRA="crypto isakmp nat-traversal 10" site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" \
		>"$tmp/site1.cfg"
	site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" 10.2.0.254 >"$tmp/site2.cfg"
	ip netns exec $W nft -f - <<EOF || { check "$label: the router masquerades (nftables)" false; return; }
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		ip saddr 10.1.0.0/24 oif "w2" masquerade
	}
}
EOF
	start_vpnsh $S1 site1 asa "$S1MAP" || return
	start_vpnsh $S2 site2 ios "$S2MAP" || return
	check "$label: h1 pings h3 (5/5)" ping_ok $H1 172.16.10.11 5
	check "$label: NAT detected, ESP in UDP on 4500" has site1 "show crypto ipsec sa" "NAT-T-Encaps"
	check "$label: site2 sees site1 at the NAT's address" has site2 "show crypto isakmp sa" "10.2.0.254"
	check "$label: h3 pings h1 back through the NAT (5/5)" ping_ok $H3 192.168.100.10 5
	check "$label: site1 counted 10 each way" counts_are site1 '#pkts encaps' 10 '#pkts decaps' 10
	sleep 11
	check "$label: site1 (behind the NAT) sends NAT keepalives every 10 s" \
		sh -c "'$vpnsh' --connect '$tmp/site1.sock' -c 'show crypto isakmp stats' | grep -q 'NAT keepalives sent: *[1-9]'"
	check "$label: site2 (not behind one) sends none" has site2 "show crypto isakmp stats" "NAT keepalives sent: *0"
	stop_vpnsh site1
	stop_vpnsh site2
	ip netns exec $W nft delete table ip nat
}
if command -v nft >/dev/null 2>&1; then
	suite_nat
else
	echo "esp: nftables is not installed: the NAT suite is skipped"
fi

# ---- vpnsh to strongSwan (libipsec: ESP in UDP on port 4500) ----

suite_strongswan() { # LABEL ASA-TRANSFORM ESP-PROPOSAL
	label=$1
	site1 "$2" >"$tmp/site1.cfg"
	start_vpnsh $S1 site1 asa "$S1MAP" || return
	ip -n $S2 addr flush dev out
	ip -n $S2 addr flush dev in
	ip -n $S2 addr add 10.2.0.2/24 dev out
	ip -n $S2 addr add 172.16.10.1/24 dev in
	ip -n $S2 route add default via 10.2.0.254
	ip netns exec $S2 sysctl -qw net.ipv4.ip_forward=1
	mkdir -p "$tmp/sw"
	sw_conf_v1 "$tmp/sw/swanctl.conf" site1 10.2.0.2 10.1.0.1 172.16.10.0/24 \
		192.168.100.0/24,192.168.200.0/24 aes256-sha1-modp2048 "$3" s1te2site no none
	if ! sw_start $S2 "$tmp/sw"; then
		check "$label: strongSwan starts" false
		stop_vpnsh site1
		return
	fi
	check "$label: h1 pings h3 through the tunnel, the first echo included (5/5)" ping_ok $H1 172.16.10.11 5
	check "$label: UDP encapsulation (NAT-T forced by libipsec)" has site1 "show crypto ipsec sa" "NAT-T-Encaps"
	check "$label: site1 encapsulated and decapsulated 5" counts_are site1 '#pkts encaps' 5 '#pkts decaps' 5
	check "$label: strongSwan counted 5 packets each way" [ "$(sw_sas "$tmp/sw" | grep -c ' 5 packets')" -eq 2 ]
	check "$label: h3 pings h1 back (5/5)" ping_ok $H3 192.168.100.10 5
	check "$label: h2 pings h3: a second pair (5/5)" ping_ok $H2 172.16.10.11 5
	check "$label: two SA pairs" [ "$(v site1 'show crypto ipsec sa' | grep -c 'current outbound spi')" -eq 2 ]
	sw_stop "$tmp/sw"
	stop_vpnsh site1
	ip -n $S2 addr flush dev out
	ip -n $S2 addr flush dev in
}

if command -v swanctl >/dev/null 2>&1; then
	suite_strongswan "strongSwan aes-256/sha1" "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" aes256-sha1-modp2048
else
	echo "esp: strongSwan (swanctl) is not installed: its suite is skipped"
fi

echo "esp: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
