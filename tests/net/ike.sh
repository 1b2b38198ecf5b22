#!/bin/sh
# ike.sh -- IKEv1 with real peers in network namespaces: vpnsh (ASA
# personality) against vpnsh (IOS personality) and against strongSwan, as
# initiator and as responder, and the failures engineers troubleshoot.
#
#   ns A: vpnsh "site1", GigabitEthernet0/0 = 10.0.0.1/24
#   ns B: vpnsh "site2" or strongSwan, 10.0.0.2/24
#
# Tunnels are brought up with the ASA's packet-tracer (site1) or swanctl
# --initiate (strongSwan), and checked with the show commands an engineer
# reads: states, SPIs matching crosswise, reasons of failures.
#
# usage (as root): ike.sh VPNSH    exit 77 when namespaces cannot be made
set -u
vpnsh=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_strongswan.sh"

[ "$(id -u)" = 0 ] || { echo "ike: needs root for network namespaces"; exit 77; }
tmp=$(mktemp -d)
A=vpnshA$$ B=vpnshB$$
pids=""
. "$here/lib_vpnsh.sh"
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	sw_stop "$tmp/sw" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	[ "$fail" -eq 0 ] && [ -z "${IKE_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$A" && ip netns add "$B" || { echo "ike: cannot make network namespaces"; exit 77; }
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" link set lo up
ip -n "$B" link set lo up

# ---- configurations ----

site1() { # PSK POLICY-LINES...: the ASA side, two crypto ACL lines
	psk=$1
	shift
	cat <<EOF
enable

configure terminal
hostname site1
logging enable
logging buffered informational
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 10.0.0.1 255.255.255.0
 no shutdown
exit
access-list VPN extended permit ip 192.168.100.0 255.255.255.0 172.16.10.0 255.255.255.0
access-list VPN extended permit ip 192.168.200.0 255.255.255.0 172.16.10.0 255.255.255.0
crypto ikev1 policy 10
 authentication pre-share
$(for l in "$@"; do echo " $l"; done)
exit
crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
crypto ipsec ikev1 transform-set T3 esp-3des esp-sha-hmac
crypto map CMAP 10 match address VPN
crypto map CMAP 10 set peer 10.0.0.2
crypto map CMAP 10 set ikev1 transform-set TS T3
crypto map CMAP 10 set pfs group14
crypto map CMAP interface outside
crypto ikev1 enable outside
tunnel-group 10.0.0.2 type ipsec-l2l
tunnel-group 10.0.0.2 ipsec-attributes
 ikev1 pre-shared-key $psk
exit
${SITE1_EXTRA:-}
end
write memory
EOF
}

site2_ios() { # PSK POLICY-LINES...
	psk=$1
	shift
	cat <<EOF
enable
configure terminal
hostname site2
ip access-list extended VPN
 permit ip 172.16.10.0 0.0.0.255 192.168.100.0 0.0.0.255
 permit ip 172.16.10.0 0.0.0.255 192.168.200.0 0.0.0.255
exit
crypto isakmp policy 10
 authentication pre-share
$(for l in "$@"; do echo " $l"; done)
exit
crypto isakmp key $psk address 10.0.0.1
crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac
exit
crypto map CMAP 10 ipsec-isakmp
 set peer 10.0.0.1
 set transform-set TS
 set pfs group14
 match address VPN
exit
interface GigabitEthernet0/0
 ip address 10.0.0.2 255.255.255.0
 crypto map CMAP
 no shutdown
end
write memory
EOF
}

# start_vpnsh NS NAME PERSONALITY IF  (configuration in $tmp/NAME.cfg)
start_vpnsh() {
	vpnsh_start "$1" "$2" "$3" "GigabitEthernet0/0=$4" ${IKE_DATAPLANE:+--dataplane $IKE_DATAPLANE}
}
stop_vpnsh() { vpnsh_stop "$@"; }

count_is() { # NAME COMMAND PATTERN N
	[ "$(v "$1" "$2" 2>/dev/null | grep -c -- "$3")" -eq "$4" ]
}
sw_has() { sw_sas "$tmp/sw" | grep -qi -- "$1"; }

trigger() { # from site1: a packet from SRC to 172.16.10.10
	v site1 "packet-tracer input inside icmp $1 8 0 172.16.10.10" >/dev/null
}

spi() { # NAME in|out: the first current SPI
	if [ "$2" = out ]; then
		v "$1" "show crypto ipsec sa" | sed -n 's/.*current outbound spi: \(0x\)\{0,1\}\([0-9A-F]*\).*/\2/p' | head -1
	else
		v "$1" "show crypto ipsec sa" | sed -n 's/.*current inbound spi : \([0-9A-F]*\).*/\1/p' | head -1
	fi
}

# ---- vpnsh (ASA) <-> vpnsh (IOS) ----

site1 cisco123 "encryption aes-256" "hash sha" "group 14" >"$tmp/site1.cfg"

start_vpnsh "$A" site1 asa va
site2_ios cisco123 "encr aes 256" "hash sha" "group 14" >"$tmp/site2.cfg"
start_vpnsh "$B" site2 ios vb
listening() { ip netns exec "$A" ss -uln | grep -q "0.0.0.0:$1 "; }
check "IKE listens on UDP 500 where it is enabled" listening 500
check "... and on UDP 4500" listening 4500
# an engineer watching site2's debug output on a terminal
(printf 'enable\nterminal monitor\ndebug crypto isakmp\ndebug crypto ipsec\n'; sleep 4; printf 'exit\n') |
	"$vpnsh" --connect "$tmp/site2.sock" >"$tmp/debug2" 2>&1 &
monitor=$!
sleep 0.5
trigger 192.168.100.10
check "vpnsh to vpnsh: phase 1 up on the initiator (MM_ACTIVE)" wait_for 10 site1 "show crypto isakmp sa" "State   : MM_ACTIVE"
check "the ASA shows itself as initiator" has site1 "show crypto isakmp sa" "Role    : initiator"
check "vpnsh to vpnsh: the IOS responder shows QM_IDLE" wait_for 5 site2 "show crypto isakmp sa" "10.0.0.2        10.0.0.1        QM_IDLE"
check "an IPsec SA pair is up" wait_for 5 site2 "show crypto ipsec sa" "Status: ACTIVE"
# the ASA prints SPIs zero-padded, IOS does not
out1=$(spi site1 out | sed 's/^0*//')
in1=$(spi site1 in | sed 's/^0*//')
check "the SPIs agree: site1's outbound $out1 is site2's inbound" has site2 "show crypto ipsec sa" "spi: 0x${out1:-none}("
check "... and site1's inbound $in1 is site2's outbound" has site2 "show crypto ipsec sa" "current outbound spi: 0x${in1:-none}("
check "PFS group 14 is in use" has site2 "show crypto ipsec sa" "PFS (Y/N): Y, DH group: group14"
check "the crypto ACL line is shown" has site1 "show crypto ipsec sa" \
	"access-list VPN extended permit ip 192.168.100.0 255.255.255.0 172.16.10.0 255.255.255.0"
trigger 192.168.200.10
check "a second ACL line: a second SA pair" wait_for 5 site1 "show crypto ipsec sa" "192.168.200.0/255.255.255.0/0/0"
check "... under the same phase 1 SA" count_is site1 "show crypto isakmp sa" "IKE Peer" 1
check "... and two pairs on the responder" count_is site2 "show crypto ipsec sa" "current outbound spi" 2
wait $monitor
check "IOS debug: state changes as the router prints them" grep -q "ISAKMP:(0):Old State = IKE_R_MM1  New State = IKE_R_MM2" "$tmp/debug2"
check "IOS debug: authenticated" grep -q "ISAKMP:(1001):SA authentication status:" "$tmp/debug2"
check "IOS debug: IPsec SAs created" grep -q "ISAKMP:(1001):Creating IPSec SAs" "$tmp/debug2"
check "IOS debug ipsec: create_sa lines" grep -q "IPSEC(create_sa): sa created," "$tmp/debug2"
check "IOS debug: the pre-shared key never appears" sh -c "! grep -q cisco123 '$tmp/debug2'"
check "ASA syslog: PHASE 1 COMPLETED in the buffer" has site1 "show logging" "%ASA-5-713119: Group = 10.0.0.2, IP = 10.0.0.2, PHASE 1 COMPLETED"
check "ASA syslog: the outbound SA created" has site1 "show logging" "%ASA-6-602303: IPSEC: An outbound LAN-to-LAN SA"
check "ASA syslog: PHASE 2 COMPLETED" has site1 "show logging" "%ASA-5-713120: Group = 10.0.0.2, IP = 10.0.0.2, PHASE 2 COMPLETED"
check "IOS show crypto session: UP-IDLE with its flows" wait_for 2 site2 "show crypto session" "Session status: UP-IDLE"
check "ASA show vpn-sessiondb detail l2l lists both IPsec tunnels" wait_for 2 site1 "show vpn-sessiondb detail l2l" "IPsec Tunnels: 2"

# bad input: garbage, truncated headers, lying lengths, unknown exchanges,
# replies for SAs that do not exist; the tunnel stays up
ip netns exec "$A" /usr/bin/python3 - <<'PYEOF2'
import os, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.1", 0))
dst = ("10.0.0.2", 500)
def hdr(icky, rcky, np, xchg, flags, msgid, length):
    return icky + rcky + bytes([np, 0x10, xchg, flags]) + struct.pack(">II", msgid, length)
pkts = [b"", b"\x00", os.urandom(27), os.urandom(300),
        hdr(os.urandom(8), bytes(8), 1, 2, 0, 0, 9999),                      # length beyond the datagram
        hdr(os.urandom(8), bytes(8), 1, 2, 0, 0, 32) + b"\x00\x00\xff\xff",  # payload longer than the message
        hdr(os.urandom(8), bytes(8), 1, 2, 0, 0, 40) + b"\x00\x00\x00\x0c" + os.urandom(8),  # SA of garbage
        hdr(os.urandom(8), bytes(8), 0, 99, 0, 0, 28),                       # unknown exchange
        hdr(os.urandom(8), os.urandom(8), 8, 32, 1, 12345, 60) + os.urandom(32),  # QM for no SA
        hdr(os.urandom(8), os.urandom(8), 11, 5, 0, 0, 40) + b"\x00\x00\x00\x0c" + os.urandom(8)]  # plain notify
for i in range(20):
    for p in pkts:
        s.sendto(p, dst)
PYEOF2
sleep 0.5
check "bad input: malformed messages are counted" has site2 "show crypto isakmp stats" "Malformed: *[1-9]"
check "bad input: messages for no SA are counted" has site2 "show crypto isakmp stats" "No SA: *[1-9]"
check "bad input: the tunnel is still up" has site2 "show crypto isakmp sa" "QM_IDLE"
check "bad input: the daemon still answers" has site2 "show crypto ipsec sa" "current outbound spi"

# clear on one side: the peer is told and the tunnel comes back on demand
v site1 "clear crypto ipsec sa" "clear crypto isakmp sa" >/dev/null
check "clear: the peer deletes its phase 1 SA too" wait_for 5 site2 "show crypto isakmp sa" "conn-id status\$"
check "clear: and its IPsec SAs" lacks site2 "show crypto ipsec sa" "current outbound"
trigger 192.168.100.10
check "after clear, traffic brings the tunnel up again" wait_for 10 site1 "show crypto ipsec sa" "current inbound spi"
# site1 dies without a word and comes back: INITIAL-CONTACT clears what site2 held
eval "kill -9 \$pid_site1"
eval "wait \$pid_site1" 2>/dev/null
rm -f "$tmp/site1.sock"
start_vpnsh "$A" site1 asa va
trigger 192.168.100.10
check "after a restart the tunnel comes up again" wait_for 10 site1 "show crypto ipsec sa" "current inbound spi"
sleep 0.5
check "INITIAL-CONTACT: site2 keeps one phase 1 SA" count_is site2 "show crypto isakmp sa" "QM_IDLE" 1
check "INITIAL-CONTACT: and only the new IPsec SA pair" count_is site2 "show crypto ipsec sa" "current outbound spi" 1
stop_vpnsh site1
stop_vpnsh site2

# ---- rekey before expiry: phase 1 and phase 2 with lifetimes of 120 s ----
# No host sends through this tunnel, and an idle IPsec SA pair is not renewed
# (tests/net/esp.sh checks that); with the record dataplane, which cannot
# tell, every pair is renewed, which is what is checked here.
SITE1_EXTRA="crypto map CMAP 10 set security-association lifetime seconds 120"
site1 cisco123 "encryption aes-256" "hash sha" "group 14" "lifetime 120" >"$tmp/site1.cfg"
SITE1_EXTRA=""
IKE_DATAPLANE=record
start_vpnsh "$A" site1 asa va
site2_ios cisco123 "encr aes 256" "hash sha" "group 14" >"$tmp/site2.cfg"
start_vpnsh "$B" site2 ios vb
IKE_DATAPLANE=
trigger 192.168.100.10
check "rekey: tunnel up with 120 s lifetimes" wait_for 10 site1 "show crypto ipsec sa" "current inbound spi"
first_spi=$(spi site1 out)
check "rekey: the responder took the shorter phase 1 lifetime" has site2 "show crypto isakmp sa detail" " 00:0[012]:[0-5][0-9] "
sleep 120
check "rekey: a new phase 1 SA replaced the first (conn-id 1002)" has site2 "show crypto isakmp sa" "QM_IDLE           1002 ACTIVE"
check "rekey: ... and the first is gone" count_is site2 "show crypto isakmp sa" "QM_IDLE" 1
check "rekey: a new IPsec SA pair replaced the first" sh -c "[ \"\$(\"$vpnsh\" --connect '$tmp/site1.sock' -c 'show crypto ipsec sa' | sed -n 's/.*current outbound spi: //p')\" != '$first_spi' ]"
check "rekey: one pair remains on each side" count_is site2 "show crypto ipsec sa" "current outbound spi" 1
check "rekey: the tunnel never went down" has site1 "show crypto isakmp stats" "Phase 2 completed / failed:  2 / 0"
stop_vpnsh site1
stop_vpnsh site2

# ---- failures, with the state the device shows and the reason ----

site1 cisco123 "encryption aes-256" "hash sha" "group 14" >"$tmp/site1.cfg"

start_vpnsh "$A" site1 asa va
site2_ios wrongkey "encr aes 256" "hash sha" "group 14" >"$tmp/site2.cfg"
start_vpnsh "$B" site2 ios vb
trigger 192.168.100.10
check "wrong PSK: the responder stays in MM_KEY_EXCH" wait_for 10 site2 "show crypto isakmp sa" "MM_KEY_EXCH"
check "wrong PSK: the initiator waits in MM_WAIT_MSG6" wait_for 5 site1 "show crypto isakmp sa" "MM_WAIT_MSG6"
check "wrong PSK: the reason says so" wait_for 5 site2 "show crypto diagnose" "pre-shared key mismatch"
check "wrong PSK: no key in show output" lacks site2 "show crypto isakmp sa detail" "wrongkey"
stop_vpnsh site1
stop_vpnsh site2

site1 cisco123 "encryption aes-256" "hash sha" "group 14" >"$tmp/site1.cfg"

start_vpnsh "$A" site1 asa va
site2_ios cisco123 "encr 3des" "hash md5" "group 2" >"$tmp/site2.cfg"
start_vpnsh "$B" site2 ios vb
trigger 192.168.100.10
check "no matching policy: the responder shows MM_NO_STATE" wait_for 10 site2 "show crypto isakmp sa" "MM_NO_STATE"
check "no matching policy: the reason names what was offered" wait_for 5 site2 "show crypto diagnose" "AES-256"
check "no matching policy: the initiator waits in MM_WAIT_MSG2" wait_for 5 site1 "show crypto isakmp sa" "MM_WAIT_MSG2"
stop_vpnsh site1
stop_vpnsh site2

# ---- vpnsh against strongSwan ----

ip -n "$B" addr replace 10.0.0.2/24 dev vb
ip -n "$B" link set vb up
ip -n "$B" addr add 172.16.10.1/24 dev lo
mkdir -p "$tmp/sw"
# strongswan_case IKE ESP ASA-POLICY-LINES... : both directions
strongswan_case() {
	ike=$1 esp=$2
	shift 2
	sw_stop "$tmp/sw" 2>/dev/null
	site1 cisco123 "$@" >"$tmp/site1.cfg"
	start_vpnsh "$A" site1 asa va
	sw_conf_v1 "$tmp/sw/swanctl.conf" s2s 10.0.0.2 10.0.0.1 172.16.10.0/24 192.168.100.0/24 "$ike" "$esp" cisco123 no none 10
	sw_start "$B" "$tmp/sw" >>"$tmp/sw.out" 2>&1
	trigger 192.168.100.10
	check "strongSwan $ike/$esp: vpnsh initiates, phase 1 up" wait_for 10 site1 "show crypto isakmp sa" "MM_ACTIVE"
	sleep 0.5
	check "strongSwan $ike/$esp: the IPsec SA is installed on both" sw_has INSTALLED
	o=$(spi site1 out)
	check "strongSwan $ike/$esp: strongSwan's inbound SPI is vpnsh's outbound ($o)" sw_has "in  *${o:-none}"
	check "strongSwan $ike/$esp: NAT-T forced by libipsec, vpnsh floats to 4500" \
		has site1 "show crypto ipsec sa" "remote crypto endpt.: 10.0.0.2/4500"
	v site1 "clear crypto ipsec sa" "clear crypto isakmp sa" >/dev/null
	sleep 0.3
	sw_initiate "$tmp/sw" net s2s >"$tmp/sw.init" 2>&1
	check "strongSwan $ike/$esp: strongSwan initiates, vpnsh responds" grep -q "initiate completed successfully" "$tmp/sw.init"
	check "strongSwan $ike/$esp: vpnsh is responder in MM_ACTIVE" wait_for 5 site1 "show crypto isakmp sa" "Role    : responder"
	stop_vpnsh site1
}
strongswan_case aes256-sha1-modp2048 aes256-sha1-modp2048 "encryption aes-256" "hash sha" "group 14"
strongswan_case 3des-sha1-modp1024 aes256-sha1-modp2048 "encryption 3des" "hash sha" "group 2"
strongswan_case aes128-sha256-ecp256 aes256-sha1-modp2048 "encryption aes" "hash sha256" "group 19"

# Dead Peer Detection: the peer falls silent (its link goes down)
sw_stop "$tmp/sw"
site1 cisco123 "encryption aes-256" "hash sha" "group 14" >"$tmp/site1.cfg"
start_vpnsh "$A" site1 asa va
sw_conf_v1 "$tmp/sw/swanctl.conf" s2s 10.0.0.2 10.0.0.1 172.16.10.0/24 192.168.100.0/24 aes256-sha1-modp2048 aes256-sha1-modp2048 cisco123 no none
sw_start "$B" "$tmp/sw" >>"$tmp/sw.out" 2>&1
trigger 192.168.100.10
check "DPD: tunnel up" wait_for 10 site1 "show crypto ipsec sa" "current inbound spi"
ip -n "$B" link set vb down
check "DPD: the silent peer is declared dead (keepalive threshold 10 retry 2)" \
	wait_for 40 site1 "show crypto isakmp stats" "Peers declared dead by DPD:  1"
check "DPD: its IPsec SAs are gone" lacks site1 "show crypto ipsec sa" "current inbound spi"
check "DPD: the ASA says it lost contact" has site1 "show logging" "%ASA-4-713123: IP = 10.0.0.2, IKE lost contact with remote peer"
ip -n "$B" link set vb up
stop_vpnsh site1

# Aggressive Mode, both ways
sw_stop "$tmp/sw"
SITE1_EXTRA="crypto map CMAP 10 set phase1-mode aggressive group14"
site1 cisco123 "encryption aes-256" "hash sha" "group 14" >"$tmp/site1.cfg"
SITE1_EXTRA=""
start_vpnsh "$A" site1 asa va
sw_conf_v1 "$tmp/sw/swanctl.conf" s2s 10.0.0.2 10.0.0.1 172.16.10.0/24 192.168.100.0/24 aes256-sha1-modp2048 aes256-sha1-modp2048 cisco123 yes none
sw_start "$B" "$tmp/sw" >>"$tmp/sw.out" 2>&1
trigger 192.168.100.10
check "Aggressive Mode: vpnsh initiates, AM_ACTIVE" wait_for 10 site1 "show crypto isakmp sa" "AM_ACTIVE"
check "Aggressive Mode: strongSwan installs the IPsec SA" wait_for 5 site1 "show crypto ipsec sa" "current inbound spi"
sleep 0.3
check "Aggressive Mode: ... on its side too" sw_has INSTALLED
v site1 "clear crypto ipsec sa" "clear crypto isakmp sa" >/dev/null
sleep 0.3
sw_initiate "$tmp/sw" net s2s >"$tmp/sw.init" 2>&1
check "Aggressive Mode: strongSwan initiates, vpnsh responds" grep -q "initiate completed successfully" "$tmp/sw.init"
check "Aggressive Mode: vpnsh is responder in AM_ACTIVE" wait_for 5 site1 "show crypto isakmp sa" "AM_ACTIVE"
v site1 "clear crypto ipsec sa" "clear crypto isakmp sa" "configure terminal" "crypto ikev1 am-disable" "end" >/dev/null
sleep 0.3
SW_TIMEOUT=5 sw_initiate "$tmp/sw" net s2s >"$tmp/sw.init" 2>&1
check "am-disable: Aggressive Mode is refused" lacks site1 "show crypto isakmp sa" "AM_ACTIVE"
check "am-disable: counted as dropped" has site1 "show crypto isakmp stats" "Other: *[1-9]"
stop_vpnsh site1

# a hub with a dynamic map: any peer with the DefaultL2LGroup key, any proxy IDs
sw_stop "$tmp/sw"
cat >"$tmp/site1.cfg" <<EOF
enable

configure terminal
hostname hub
logging enable
logging buffered informational
interface GigabitEthernet0/0
 nameif outside
 ip address 10.0.0.1 255.255.255.0
 no shutdown
exit
crypto ikev1 policy 10
 authentication pre-share
 encryption aes-256
 hash sha
 group 14
exit
crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
crypto dynamic-map DYN 10 set ikev1 transform-set TS
crypto dynamic-map DYN 10 set pfs group14
crypto map CMAP 65535 ipsec-isakmp dynamic DYN
crypto map CMAP interface outside
crypto ikev1 enable outside
tunnel-group DefaultL2LGroup ipsec-attributes
 ikev1 pre-shared-key spokekey
end
write memory
EOF
start_vpnsh "$A" site1 asa va
sw_conf_v1 "$tmp/sw/swanctl.conf" s2s 10.0.0.2 10.0.0.1 172.16.10.0/24 192.168.100.0/24 aes256-sha1-modp2048 aes256-sha1-modp2048 spokekey no none
sw_start "$B" "$tmp/sw" >>"$tmp/sw.out" 2>&1
sw_initiate "$tmp/sw" net s2s >"$tmp/sw.init" 2>&1
check "dynamic map: strongSwan reaches the hub with the DefaultL2LGroup key" grep -q "initiate completed successfully" "$tmp/sw.init"
check "dynamic map: the hub takes the spoke's proxy IDs" has site1 "show crypto ipsec sa" "remote ident (addr/mask/prot/port): (172.16.10.0/255.255.255.0/0/0)"
check "dynamic map: shown under the dynamic map's name" has site1 "show crypto ipsec sa" "Crypto map tag: DYN, seq num: 10"
stop_vpnsh site1

# a wrong PSK against strongSwan: vpnsh's reason names it
sw_stop "$tmp/sw"
site1 notthekey "encryption aes-256" "hash sha" "group 14" >"$tmp/site1.cfg"
start_vpnsh "$A" site1 asa va
sw_conf_v1 "$tmp/sw/swanctl.conf" s2s 10.0.0.2 10.0.0.1 172.16.10.0/24 192.168.100.0/24 aes256-sha1-modp2048 aes256-sha1-modp2048 cisco123 no none
sw_start "$B" "$tmp/sw" >>"$tmp/sw.out" 2>&1
SW_TIMEOUT=6 sw_initiate "$tmp/sw" net s2s >/dev/null 2>&1
check "strongSwan with another PSK: vpnsh says pre-shared key mismatch" wait_for 5 site1 "show crypto isakmp sa detail" "pre-shared key mismatch"
stop_vpnsh site1

echo "ike: $pass passed, $fail failed"
[ $fail -eq 0 ]
