#!/bin/sh
# host_apply.sh -- interface configuration reaches the host's Linux
# interfaces, and `show interface` reads them live. Runs in a network
# namespace of its own (run-shell-tests.sh starts it with `unshare -rn`):
# a veth pair stands in for the appliance's ports.
#
# usage (inside a fresh network namespace): host_apply.sh VPNSH
set -u
vpnsh=$1
pass=0 fail=0
check() {
	desc=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $desc"; fi
}
shows() { "$@" 2>/dev/null | grep -q -- "$want"; }

ip link add va type veth peer name vb || { echo "host apply: no veth here"; exit 77; }
ip link set vb up
out=$(printf 'enable\nconfigure terminal\ninterface GigabitEthernet0/0\n description uplink port\n nameif outside\n ip address 192.0.2.1 255.255.255.0\ninterface GigabitEthernet0/5\n ip address 10.9.9.1 255.255.255.0\nend\nshow interface GigabitEthernet0/0\nshow interface ip brief\nshow interface GigabitEthernet0/5\n' |
	"$vpnsh" --db none --interface-map GigabitEthernet0/0=va)
want="inet 192.0.2.1/24"; check "the address reaches the Linux interface" shows ip -4 addr show dev va
want="alias uplink port"; check "the description becomes the alias" shows ip link show dev va
want="state UP"; check "the interface is brought up" shows ip link show dev va
check "show interface reads the host" sh -c "echo '$out' | grep -q 'Interface GigabitEthernet0/0 \"outside\", is up, line protocol is up'"
check "show interface shows the live address" sh -c "echo '$out' | grep -q 'IP address 192.0.2.1, subnet mask 255.255.255.0'"
check "a missing interface is stored and shown as not present" sh -c "echo '$out' | grep -q 'GigabitEthernet0/5 \"\", is not present'"
check "host interfaces outside the configuration are listed" sh -c "echo '$out' | grep -q '^lo '"

printf 'enable\nconfigure terminal\ninterface GigabitEthernet0/0\n ip address 192.0.2.1 255.255.255.0\n shutdown\n' |
	"$vpnsh" --db none --interface-map GigabitEthernet0/0=va >/dev/null
want="state DOWN"; check "shutdown takes the interface down" shows ip link show dev va

ip addr add 198.51.100.7/24 dev vb
printf 'enable\nconfigure terminal\ninterface vb\n description peer side\n' | "$vpnsh" --db none >/dev/null
want="inet 198.51.100.7/24"
check "an interface configured without an address keeps the host's" shows ip -4 addr show dev vb
printf 'enable\nconfigure terminal\ninterface vb\n ip address 203.0.113.9 255.255.255.0\n' | "$vpnsh" --db none >/dev/null
want="inet 203.0.113.9/24"; check "ip address replaces the interface's address" shows ip -4 addr show dev vb
printf 'enable\nconfigure terminal\ninterface vb\n ip address 203.0.113.9 255.255.255.0\n no ip address\n' |
	"$vpnsh" --db none >/dev/null
check "no ip address removes the address vpnsh set" sh -c "! ip -4 addr show dev vb | grep -q inet"


echo "host apply: $pass passed, $fail failed"
[ $fail -eq 0 ]
