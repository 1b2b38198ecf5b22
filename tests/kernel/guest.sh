#!/bin/sh
# guest.sh -- the kernel XFRM backend end to end, inside the Debian kernel
# that tests/kernel/qemu.sh boots (the build machines' kernel has no ESP).
# The seed's two sites in namespaces, vpnsh (ASA) at site 1 and vpnsh (IOS)
# at site 2, both with --dataplane xfrm: a ping from h1 brings the tunnel up
# and crosses it in the kernel's ESP states (`ip xfrm state`), the counters
# of `show crypto ipsec sa` are the kernel's, a second pair comes from h2,
# clearing removes the states, stopping removes everything vpnsh installed,
# a restart after a crash sweeps what the dead one left, and the states and
# policies of other software are never touched. Then AES-GCM, ESP in UDP
# (site 1 behind a masquerading router), a crypto ACL deny line (its traffic
# in the clear), a volume lifetime renewed on the kernel's soft expiry, no
# CAP_NET_ADMIN (in words), and a cipher the kernel lacks (the negotiation fails in words, nothing is left
# half-installed, nothing leaks).
#
# usage (guest): sh guest.sh [VPNSH]    with lib_vpnsh.sh and lib_sites.sh
#        beside it; exits 1 when a check failed
set -u
vpnsh=${1:-/t/vpnsh}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pids=""
. "$here/lib_vpnsh.sh"
. "$here/lib_sites.sh"
sites_up k || { echo "FAIL: cannot make network namespaces"; exit 1; }

# how many times KEYWORD is followed by a number in vpnsh's block, 0x7670xxxx
in_block() {
	awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k && $(i + 1) >= 1987051520 && $(i + 1) <= 1987117055) n++ }
		END { print n + 0 }'
}
ours() { ip -n "$1" xfrm policy | in_block priority; }    # vpnsh's policies
our_states() { ip -n "$1" xfrm state | in_block reqid; }  # and states
# vpnsh's ESP states with an SPI (the kernel's larval states of an acquire have none)
states() { ip -n "$1" xfrm state | grep -v 'spi 0x00000000' | in_block reqid; }
wait_states() { # NS N: within 5 s
	_ws_n=0
	while [ "$(states "$1")" -ne "$2" ]; do
		[ $_ws_n -ge 25 ] && return 1
		sleep 0.2
		_ws_n=$((_ws_n + 1))
	done
}
foreign_intact() { # NS: what "other software" installed is still there
	ip -n "$1" xfrm state | grep -q 'spi 0x00001000 reqid 7 ' &&
		ip -n "$1" xfrm policy | grep -q 'src 10.8.0.0/24 dst 10.9.0.0/24'
}
start() { vpnsh_start "$@" --dataplane xfrm; }

echo "guest: $(uname -r), $(nproc) CPUs"
# other software's IPsec on site 1: never to be touched
ip -n $S1 xfrm state add src 10.9.9.1 dst 10.9.9.2 proto esp spi 0x1000 reqid 7 mode tunnel \
	auth-trunc 'hmac(sha1)' 0x00112233445566778899aabbccddeeff00112233 96 \
	enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff
ip -n $S1 xfrm policy add src 10.8.0.0/24 dst 10.9.0.0/24 dir out priority 500 \
	tmpl src 10.9.9.1 dst 10.9.9.2 proto esp reqid 7 mode tunnel

site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/site1.cfg"
site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" >"$tmp/site2.cfg"
start $S1 site1 asa "$S1MAP" || exit 1
start $S2 site2 ios "$S2MAP" || exit 1
check "show version names the xfrm dataplane" has site1 "show version" "ESP dataplane: xfrm (the kernel's ESP"
check "the log says which dataplane is active" has site1 "show logging" "%VPNSH-5-DATAPLANE: ESP dataplane: xfrm"
check "a policy out, in and fwd per crypto ACL line before any SA (2 lines)" [ "$(ours $S1)" -eq 6 ]
check "no ESP state before traffic" [ "$(states $S1)" -eq 0 ]
check "h1 pings h3 through the tunnel, the first echo included (5/5)" ping_ok $H1 172.16.10.11 5
check "site1: the pair is two kernel ESP states" [ "$(states $S1)" -eq 2 ]
check "site2: two kernel ESP states" [ "$(states $S2)" -eq 2 ]
ip -n $S1 xfrm state >"$tmp/xs.out"
check "the states are tunnel mode, cbc(aes) with hmac(sha1)" \
	sh -c "grep -q 'mode tunnel' '$tmp/xs.out' && grep -q 'enc cbc(aes)' '$tmp/xs.out' && grep -q 'auth-trunc hmac(sha1)' '$tmp/xs.out'"
check "the states carry a reqid in vpnsh's block" [ "$(in_block reqid <"$tmp/xs.out")" -eq 2 ]
check "the kernel counts the packets: site1 encaps 5 / decaps 5" counts_are site1 '#pkts encaps' 5 '#pkts decaps' 5
check "site2 decaps 5 / encaps 5" counts_are site2 '#pkts decaps' 5 '#pkts encaps' 5
spi=$(v site1 "show crypto ipsec sa" | sed -n 's/.*current outbound spi: \([0-9A-Fa-f]*\).*/\1/p' | head -1)
check "show crypto ipsec sa's outbound SPI is a kernel state (0x$spi)" \
	sh -c "ip -n $S1 xfrm state | grep -q -i 'spi 0x0*$spi '"
check "the ASA's anti-replay bitmap is the kernel's (5 packets)" has site1 "show crypto ipsec sa" "0x00000000 0x0000001F"
check "the anti-replay window is the kernel's (64)" has site2 "show crypto ipsec sa detail" "replay window size: 64"
check "show crypto session says UP-ACTIVE" has site2 "show crypto session" "Session status: UP-ACTIVE"
check "h2 pings h3 (5/5)" ping_ok $H2 172.16.10.11 5
check "a second pair under the same phase 1: four states" [ "$(states $S1)" -eq 4 ]
check "h3 pings h1 back (10/10)" ping_ok $H3 192.168.100.10 10
check "site1 counted 15 + 5 decapsulated" [ "$(counter site1 '#pkts decaps')" = 20 ]
check "3000-byte echos (fragments) cross the tunnel (3/3)" \
	sh -c "ip netns exec $H1 ping -q -c 3 -W 2 -s 3000 172.16.10.11 | grep -q -E ' 3 (packets )?received'"

v site1 "clear crypto ipsec sa" >/dev/null
check "clear crypto ipsec sa: site1's states are gone" wait_states $S1 0
check "clear crypto ipsec sa: site2 deleted its own on the Delete" wait_states $S2 0
check "clear: the crypto map's policies stay (traffic still protected)" [ "$(ours $S1)" -eq 6 ]
check "after clear a ping brings a new pair up (5/5)" ping_ok $H1 172.16.10.11 5
check "after clear: two states again" [ "$(states $S1)" -eq 2 ]

# a crash: the next start sweeps what the dead one left
eval "kill -9 \$pid_site1"
eval "wait \$pid_site1" 2>/dev/null
check "after a crash the kernel still holds the dead one's states" [ "$(states $S1)" -ge 2 ]
start $S1 site1 asa "$S1MAP" || exit 1
check "the next start removed them: no state of vpnsh's left" [ "$(our_states $S1)" -eq 0 ]
check "the next start: its policies once, not twice" [ "$(ours $S1)" -eq 6 ]
check "other software's state and policy are untouched" foreign_intact $S1
check "after the restart the tunnel comes up again (5/5)" ping_ok $H1 172.16.10.11 5
vpnsh_stop site1
vpnsh_stop site2
check "stopped: nothing of vpnsh's left on site1 (states)" [ "$(our_states $S1)" -eq 0 ]
check "stopped: nothing of vpnsh's left on site1 (policies)" [ "$(ours $S1)" -eq 0 ]
check "stopped: other software's state and policy are still there" foreign_intact $S1

# AES-GCM (RFC 4106), IOS to IOS
site1_ios "crypto ipsec transform-set TS esp-gcm 256" >"$tmp/site1.cfg"
site2 "crypto ipsec transform-set TS esp-gcm 256" >"$tmp/site2.cfg"
start $S1 site1 ios "$S1MAP" || exit 1
start $S2 site2 ios "$S2MAP" || exit 1
check "gcm: h1 pings h3 (5/5)" ping_ok $H1 172.16.10.11 5
check "gcm: the states are rfc4106(gcm(aes))" sh -c "ip -n $S1 xfrm state | grep -q 'aead rfc4106(gcm(aes))'"
check "gcm: encaps 5 / decaps 5" counts_are site1 '#pkts encaps' 5 '#pkts decaps' 5
vpnsh_stop site1
vpnsh_stop site2

# ESP in UDP: site 1 behind a masquerading router (NAT-T detected, port 4500)
if command -v nft >/dev/null 2>&1; then
	ip netns exec $W nft -f - <<EOF
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		ip saddr 10.1.0.0/24 oif "w2" masquerade
	}
}
EOF
	SITE1_EXTRA="crypto isakmp nat-traversal 10" site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/site1.cfg"
	site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" 10.2.0.254 >"$tmp/site2.cfg"
	start $S1 site1 asa "$S1MAP" || exit 1
	start $S2 site2 ios "$S2MAP" || exit 1
	check "nat-t: h1 pings h3 through the NAT (5/5)" ping_ok $H1 172.16.10.11 5
	check "nat-t: show crypto ipsec sa says NAT-T-Encaps" has site1 "show crypto ipsec sa" "NAT-T-Encaps"
	check "nat-t: the kernel's states are ESP in UDP 4500" \
		sh -c "ip -n $S1 xfrm state | grep -q 'encap type espinudp sport 4500 dport 4500'"
	check "nat-t: h3 pings h1 back through the NAT (5/5)" ping_ok $H3 192.168.100.10 5
	check "nat-t: encaps 10 / decaps 10" counts_are site1 '#pkts encaps' 10 '#pkts decaps' 10
	vpnsh_stop site1
	vpnsh_stop site2
	ip netns exec $W nft delete table ip nat
else
	echo "guest: no nft in the image: the NAT-T case is skipped"
fi

# a crypto ACL deny line: an allow policy before the line it exempts
SITE1_EXTRA="access-list VPN line 1 extended deny ip host 192.168.200.10 172.16.10.0 255.255.255.0" \
	site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/site1.cfg"
site2 "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac" >"$tmp/site2.cfg"
start $S1 site1 asa "$S1MAP" || exit 1
start $S2 site2 ios "$S2MAP" || exit 1
check "deny: its out, in and fwd policies allow, without a template" \
	[ "$(ip -n $S1 xfrm policy | grep -c '^src 192.168.200.10/32 dst 172.16.10.0/24\|^src 172.16.10.0/24 dst 192.168.200.10/32')" -eq 3 ]
check "deny: h1's traffic is protected (3/3)" ping_ok $H1 172.16.10.11 3
ip netns exec $W timeout 10 tcpdump -Z root -n -i w1 -c 1 icmp and src host 192.168.200.10 >"$tmp/clear.out" 2>/dev/null &
dump=$!
sleep 2
ip netns exec $H2 ping -q -c 3 -i 0.3 -W 1 172.16.10.11 >/dev/null 2>&1
wait $dump
check "deny: h2's, exempted, leaves in the clear (the WAN sees its ICMP)" grep -q "192.168.200.10 > 172.16.10.11" "$tmp/clear.out"
check "deny: and no SA pair is made for it" [ "$(states $S1)" -eq 2 ]
vpnsh_stop site1
vpnsh_stop site2

# a volume lifetime: the kernel's soft expiry at 90% renews the pair under traffic
SITE1_EXTRA="crypto map CMAP 10 set security-association lifetime kilobytes 50" \
	site1 "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac" >"$tmp/site1.cfg"
start $S1 site1 asa "$S1MAP" || exit 1
start $S2 site2 ios "$S2MAP" || exit 1
check "volume: the tunnel comes up (3/3)" ping_ok $H1 172.16.10.11 3
first=$(v site1 "show crypto ipsec sa" | sed -n 's/.*current outbound spi: //p')
check "volume: the kernel state has the limits (soft 90%, hard 100% of 50 KB)" \
	sh -c "ip -s -n $S1 xfrm state | grep -q 'soft 46080(bytes), hard 51200(bytes)'"
ip netns exec $H1 ping -q -c 80 -i 0.05 -W 2 -s 972 172.16.10.11 >"$tmp/ping.out" 2>&1
check "volume: the traffic went on across the renewal (at most 2 of 80 lost)" \
	grep -q -E " (80|79|78) (packets )?received" "$tmp/ping.out"
now=$(v site1 "show crypto ipsec sa" | sed -n 's/.*current outbound spi: //p')
check "volume: a new SA pair replaced the spent one" [ -n "$now" -a "$now" != "$first" ]
vpnsh_stop site1
vpnsh_stop site2

# without CAP_NET_ADMIN over the namespace (vpnsh in a user namespace of its
# own): --dataplane xfrm cannot start, and says why in the operator's words
ip netns exec $S1 unshare -r "$vpnsh" --db none --dataplane xfrm --daemon --socket "$tmp/np.sock" \
	>/dev/null 2>"$tmp/np.err" &
np=$!
_np_n=0
while [ ! -S "$tmp/np.sock" ] && [ $_np_n -lt 50 ]; do sleep 0.1; _np_n=$((_np_n + 1)); done
kill $np 2>/dev/null
wait $np 2>/dev/null
check "no CAP_NET_ADMIN: the xfrm dataplane does not start, and says so" \
	grep -q "the xfrm dataplane cannot start: .*needs CAP_NET_ADMIN" "$tmp/np.err"

# a cipher the kernel lacks (its modules gone, none loaded on demand): the
# negotiation fails in words, nothing is half-installed, nothing leaks
echo /bin/false >/proc/sys/kernel/modprobe
rmmod des3_ede_x86_64 des_generic 2>/dev/null
if ! grep -q 'des3_ede' /proc/crypto; then
	site1 "crypto ipsec ikev1 transform-set TS esp-3des esp-md5-hmac" >"$tmp/site1.cfg"
	site2 "crypto ipsec transform-set TS esp-3des esp-md5-hmac" >"$tmp/site2.cfg"
	start $S1 site1 asa "$S1MAP" || exit 1
	start $S2 site2 ios "$S2MAP" || exit 1
	ip netns exec $W timeout 6 tcpdump -Z root -n -i w2 -c 1 icmp >"$tmp/leak.out" 2>/dev/null &
	dump=$!
	sleep 2
	check "no 3des: the echos are not answered" sh -c "! ip netns exec $H1 ping -q -c 2 -W 1 172.16.10.11 >/dev/null 2>&1"
	wait $dump
	check "no 3des: nothing left in the clear" sh -c "! grep -q '192.168.100.10 > 172.16.10.11' '$tmp/leak.out'"
	check "no 3des: show crypto diagnose says why" has site1 "show crypto diagnose" \
		"the dataplane (xfrm) refused the SA: the kernel cannot do 3des-cbc with hmac-md5-96"
	check "no 3des: no state with an SPI left on site1" [ "$(states $S1)" -eq 0 ]
	check "no 3des: nor on site2" [ "$(states $S2)" -eq 0 ]
	vpnsh_stop site1
	vpnsh_stop site2
else
	echo "guest: 3DES stays in the kernel: the missing-cipher case is skipped"
fi

for p in $pids; do kill "$p" 2>/dev/null; done
sites_down
echo "guest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
