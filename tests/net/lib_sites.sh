# lib_sites.sh -- the seed scenario's two sites, for the tests that carry
# traffic: hosts in namespaces of their own, a WAN router between that knows
# nothing of the inside networks.
#
#   h1 192.168.100.10 --+                                   +-- h3 172.16.10.11
#   h2 192.168.200.10 --+- s1 --10.1.0.0/24-- wan --10.2.0.0/24-- s2
#
# usage: . tests/net/lib_sites.sh   after lib_vpnsh.sh ($tmp, v); POSIX sh.
#
#   sites_up PREFIX       make the namespaces $S1 $S2 $W $H1 $H2 $H3 (named
#                         PREFIX + role) and their links; 1 when it cannot
#   sites_down            remove them
#   link NS1 IF1 NS2 IF2  a veth pair, both ends up
#   host NS ADDR GW       a host's address (/24) and default route
#   site1 TRANSFORM-SET-LINE          site 1 as an ASA ($SITE1_EXTRA appended)
#   site1_ios TRANSFORM-SET-LINE      site 1 as an IOS router
#   site2 TRANSFORM-SET-LINE [PEER]   site 2 as an IOS router ($SITE2_EXTRA)
#   $S1MAP $S2MAP         their --interface-map
#   counter NAME LABEL    a counter of `show crypto ipsec sa`, summed over the pairs
#   counts_are NAME LABEL1 N1 LABEL2 N2
#   ping_ok NS DST COUNT  every echo answered (iputils or busybox ping)

link() { # NS1 IF1 NS2 IF2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

host() { # NS ADDR GW
	ip -n "$1" addr add "$2/24" dev eth0
	ip -n "$1" route add default via "$3"
}

sites_up() {
	S1=${1}S1 S2=${1}S2 W=${1}W H1=${1}H1 H2=${1}H2 H3=${1}H3
	for _st_n in $S1 $S2 $W $H1 $H2 $H3; do
		ip netns add "$_st_n" || return 1
		ip -n "$_st_n" link set lo up
	done
	link $S1 out $W w1
	link $W w2 $S2 out
	link $S1 in1 $H1 eth0
	link $S1 in2 $H2 eth0
	link $S2 in $H3 eth0
	ip -n $W addr add 10.1.0.254/24 dev w1
	ip -n $W addr add 10.2.0.254/24 dev w2
	ip netns exec $W sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
	host $H1 192.168.100.10 192.168.100.1
	host $H2 192.168.200.10 192.168.200.1
	host $H3 172.16.10.11 172.16.10.1
}

sites_down() {
	for _st_n in ${S1:-} ${S2:-} ${W:-} ${H1:-} ${H2:-} ${H3:-}; do ip netns del "$_st_n" 2>/dev/null; done
	return 0
}

site1() { # TRANSFORM-SET-LINE
	cat <<EOF
enable

configure terminal
hostname site1
logging enable
logging buffered informational
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 10.1.0.1 255.255.255.0
 no shutdown
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 192.168.100.1 255.255.255.0
 no shutdown
interface GigabitEthernet0/2
 nameif inside2
 security-level 100
 ip address 192.168.200.1 255.255.255.0
 no shutdown
exit
route outside 0.0.0.0 0.0.0.0 10.1.0.254
access-list VPN extended permit ip 192.168.100.0 255.255.255.0 172.16.10.0 255.255.255.0
access-list VPN extended permit ip 192.168.200.0 255.255.255.0 172.16.10.0 255.255.255.0
crypto ikev1 policy 10
 authentication pre-share
 encryption aes-256
 hash sha
 group 14
exit
$1
crypto map CMAP 10 match address VPN
crypto map CMAP 10 set peer 10.2.0.2
crypto map CMAP 10 set ikev1 transform-set TS
crypto map CMAP 10 set pfs group14
crypto map CMAP interface outside
crypto ikev1 enable outside
tunnel-group 10.2.0.2 type ipsec-l2l
tunnel-group 10.2.0.2 ipsec-attributes
 ikev1 pre-shared-key s1te2site
exit
${SITE1_EXTRA:-}
end
write memory
EOF
}

site1_ios() { # TRANSFORM-SET-LINE: site 1 as an IOS router
	cat <<EOF
enable
configure terminal
hostname site1
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.255.0
 no shutdown
interface GigabitEthernet0/1
 ip address 192.168.100.1 255.255.255.0
 no shutdown
interface GigabitEthernet0/2
 ip address 192.168.200.1 255.255.255.0
 no shutdown
exit
ip route 0.0.0.0 0.0.0.0 10.1.0.254
ip access-list extended VPN
 permit ip 192.168.100.0 0.0.0.255 172.16.10.0 0.0.0.255
 permit ip 192.168.200.0 0.0.0.255 172.16.10.0 0.0.0.255
exit
crypto isakmp policy 10
 authentication pre-share
 encryption aes 256
 hash sha
 group 14
exit
crypto isakmp key s1te2site address 10.2.0.2
$1
exit
crypto map CMAP 10 ipsec-isakmp
 set peer 10.2.0.2
 set transform-set TS
 set pfs group14
 match address VPN
exit
interface GigabitEthernet0/0
 crypto map CMAP
end
write memory
EOF
}

site2() { # TRANSFORM-SET-LINE [PEER]: site 1 as site 2 sees it (10.1.0.1, or a NAT's address)
	cat <<EOF
enable
configure terminal
hostname site2
interface GigabitEthernet0/0
 ip address 10.2.0.2 255.255.255.0
 no shutdown
interface GigabitEthernet0/1
 ip address 172.16.10.1 255.255.255.0
 no shutdown
exit
ip route 0.0.0.0 0.0.0.0 10.2.0.254
ip access-list extended VPN
 permit ip 172.16.10.0 0.0.0.255 192.168.100.0 0.0.0.255
 permit ip 172.16.10.0 0.0.0.255 192.168.200.0 0.0.0.255
exit
crypto isakmp policy 10
 authentication pre-share
 encryption aes 256
 hash sha
 group 14
exit
crypto isakmp key s1te2site address ${2:-10.1.0.1}
$1
exit
crypto map CMAP 10 ipsec-isakmp
 set peer ${2:-10.1.0.1}
 set transform-set TS
 set pfs group14
 match address VPN
exit
interface GigabitEthernet0/0
 crypto map CMAP
exit
${SITE2_EXTRA:-}
end
write memory
EOF
}

# the number after a counter label of `show crypto ipsec sa`, summed over the SA pairs
counter() { # NAME LABEL
	v "$1" "show crypto ipsec sa" | sed -n "s/.*$2:\{0,1\} \([0-9]*\).*/\1/p" | awk '{ n += $1 } END { print n + 0 }'
}

# counts_are NAME LABEL1 N1 LABEL2 N2: both counters hold those numbers
counts_are() { [ "$(counter "$1" "$2")" = "$3" ] && [ "$(counter "$1" "$4")" = "$5" ]; }

_st_ping_n=-n
ping -V >/dev/null 2>&1 || _st_ping_n="" # busybox: numeric already, and no -n
ping_ok() { # NS DST COUNT: every echo answered
	ip netns exec "$1" ping $_st_ping_n -q -c "$3" -i 0.2 -W 2 "$2" >"$tmp/ping.out" 2>&1
	grep -q -E " $3 (packets )?received" "$tmp/ping.out"
}

S1MAP="GigabitEthernet0/0=out,GigabitEthernet0/1=in1,GigabitEthernet0/2=in2"
S2MAP="GigabitEthernet0/0=out,GigabitEthernet0/1=in"
