#!/bin/sh
# paste.sh -- pasting a 100,000-line configuration in batch mode.
#
# Generates an ASA configuration of interfaces, object groups, a large access
# list and routes (the shape of a real firewall's configuration), pastes it
# into a fresh appliance and prints lines per second. A real device takes
# minutes for such a paste. Every line must be accepted: the error count is
# printed too, and a paste with errors does not count.
#
# usage: bench/paste.sh path/to/vpnsh [LINES]
set -eu
vpnsh=$(realpath "${1:?usage: paste.sh VPNSH [LINES]}")
lines=${2:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cfg="$tmp/config.txt"

awk -v total="$lines" 'BEGIN {
	n = 0
	print "enable"; print "configure terminal"; print "hostname bench-asa"; n += 3
	for (i = 0; i < 100 && n < total; i++) {
		printf "interface GigabitEthernet0/%d\n nameif if%d\n security-level %d\n", i, i, i % 101
		printf " ip address 10.%d.%d.1 255.255.255.0\n description link %d\n", int(i / 250), i % 250, i
		n += 5
	}
	for (g = 0; g < 200 && n < total; g++) {
		printf "object-group network OG-%d\n", g; n++
		for (h = 0; h < 8 && n < total; h++) {
			printf " network-object host 172.%d.%d.%d\n", 16 + g % 16, g, h + 1; n++
		}
	}
	acl = 0
	while (n < total - 1) {
		a = acl % 250; b = int(acl / 250) % 250
		if (acl % 4 == 0)
			printf "access-list OUTSIDE-IN extended permit tcp any host 198.%d.%d.%d eq 443\n", 18 + acl % 2, b, a
		else if (acl % 4 == 1)
			printf "access-list OUTSIDE-IN extended deny udp 10.%d.%d.0 255.255.255.0 any eq 53\n", b, a
		else if (acl % 4 == 2)
			printf "access-list VPN-%d extended permit ip 192.168.%d.0 255.255.255.0 object-group OG-%d\n", acl % 50, a, acl % 200
		else
			printf "route if%d 10.%d.%d.0 255.255.255.0 10.0.%d.254 1\n", acl % 100, 100 + b % 100, a, acl % 100
		acl++; n++
	}
	print "end"
}' >"$cfg"

[ -n "${BENCH_CONFIG_OUT:-}" ] && cp "$cfg" "$BENCH_CONFIG_OUT"
count=$(wc -l <"$cfg")
start=$(date +%s.%N)
"$vpnsh" --db none --no-apply <"$cfg" >"$tmp/out"
end=$(date +%s.%N)
errors=$(grep -c -E '^(ERROR: )?% ' "$tmp/out" || true)
awk -v n="$count" -v s="$start" -v e="$end" -v err="$errors" 'BEGIN {
	t = e - s
	printf "paste: %d lines in %.3f s = %.0f lines/s (%d lines with errors)\n", n, t, n / t, err
}'
[ "$errors" -eq 0 ]
