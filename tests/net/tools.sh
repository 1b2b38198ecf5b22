#!/bin/sh
# tools.sh -- the troubleshooting tools against a real network: ping from the
# appliance (ASA and IOS personalities) and the ASA's packet capture, with
# the capture copied to a pcap file that tcpdump reads.
#
#   ns A: vpnsh, GigabitEthernet0/0 (nameif outside) = veth va, 10.0.0.1/24
#   ns B: a plain host, vb, 10.0.0.2/24
#
# 10.0.0.99 answers nothing: A has a permanent neighbour entry for it with a
# MAC address nobody owns, so its echos leave and are dropped by B.
#
# A ping runs on the appliance's event loop without holding it: while one
# console pings, another answers at once; a console that disconnects
# mid-ping leaves nothing behind; Ctrl-^ (socket console) and Ctrl-C (local
# console) abort a ping; batch mode and -c print a ping's whole output
# before the next command's.
#
# usage (as root): tools.sh VPNSH    exit 77 when namespaces cannot be made
set -u
vpnsh=$(realpath "$1")
pass=0 fail=0
check() {
	desc=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $desc"; fi
}

[ "$(id -u)" = 0 ] || { echo "tools: needs root for network namespaces"; exit 77; }
tmp=$(mktemp -d)
A=vpnshTA$$ B=vpnshTB$$
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	[ "$fail" -eq 0 ] && [ -z "${TOOLS_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$A" 2>/dev/null && ip netns add "$B" 2>/dev/null || { echo "tools: cannot make network namespaces"; exit 77; }
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" link set lo up
ip -n "$B" link set lo up
ip -n "$B" addr add 10.0.0.2/24 dev vb
ip -n "$B" link set vb up

# start PERSONALITY: the appliance in A, configured from $tmp/cfg
start() {
	rm -f "$tmp/tools.db"
	"$vpnsh" --db "$tmp/tools.db" --personality "$1" --no-apply --strict <"$tmp/cfg" >"$tmp/paste" 2>&1 ||
		{ echo "tools: the configuration does not paste:"; tail -5 "$tmp/paste"; return 1; }
	rm -f "$tmp/sock"
	ip netns exec "$A" "$vpnsh" --db "$tmp/tools.db" --daemon --socket "$tmp/sock" \
		--interface-map "GigabitEthernet0/0=va" >/dev/null 2>"$tmp/err" &
	pid=$!
	n=0
	while { [ ! -S "$tmp/sock" ] || ! ip -n "$A" addr show va | grep -q 10.0.0.1/24; } && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	ip -n "$A" neigh replace 10.0.0.99 lladdr 02:00:00:00:00:99 dev va nud permanent
}

stop() { # and it must have said nothing on standard error
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
	check "the appliance stopped cleanly, nothing on standard error" [ ! -s "$tmp/err" ]
	[ -s "$tmp/err" ] && head -20 "$tmp/err"
	return 0
}

v() { # "command" ["command"...]: run in the appliance, output on stdout
	args=""
	for c in "$@"; do args="$args -c \"$c\""; done
	eval "\"$vpnsh\" --connect \"$tmp/sock\" $args"
}

has() { # COMMAND PATTERN: the command's output has a line matching
	v "$1" 2>/dev/null | grep -q -- "$2"
}
lacks() { ! has "$@"; }
count_is() { # COMMAND PATTERN N
	[ "$(v "$1" 2>/dev/null | grep -c -- "$2")" -eq "$3" ]
}
fails() { # COMMAND: exits 1
	v "$1" >/dev/null 2>&1
	[ $? -eq 1 ]
}

# ms: a monotonic-enough clock in milliseconds
ms() { echo $(($(date +%s%N) / 1000000)); }

# fds: the descriptors the appliance holds open
fds() { ls "/proc/$pid/fd" 2>/dev/null | wc -l; }

# pty_abort KEY PROMPT COMMAND...: run the console COMMAND on a pseudo-
# terminal, start a 100-echo ping to 10.0.0.99 at the PROMPT, and abort it
# with KEY (a hexadecimal byte) after its first timeout; prints "ok" when
# the summary and the prompt come back within 2 s and a command then runs.
pty_abort() {
	# libedit leaks a few strings it duplicates at start-up (wcsdup), in
	# any console: not what a sanitizer build is asked about here
	echo "leak:wcsdup" >"$tmp/lsan.supp"
	LSAN_OPTIONS="suppressions=$tmp/lsan.supp" python3 - "$@" <<'PYEOF'
import os, pty, select, sys, time
key, prompt, args = bytes([int(sys.argv[1], 16)]), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
buf = b""
def expect(text, timeout, since=0):
    global buf
    deadline = time.time() + timeout
    while buf.find(text, since) < 0:
        left = deadline - time.time()
        r = select.select([fd], [], [], left)[0] if left > 0 else []
        if not r:
            return -1
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return -1
        if not chunk:
            return -1
        buf += chunk
    return buf.find(text, since) + len(text)
def fail(what):
    print("pty: " + what + ": " + repr(buf[-300:]))
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    sys.exit(0)
if expect(prompt, 5) < 0:
    fail("no prompt")
os.write(fd, b"ping 10.0.0.99 repeat 100\r")
at = expect(b"timeout is 2 seconds:", 5)
if at < 0 or expect(b".", 4, at) < 0:
    fail("no first timeout")
t0 = time.time()
os.write(fd, key)
at = expect(b"Success rate is 0 percent (", 2)
if at < 0 or expect(prompt, 2, at) < 0:
    fail("the abort did not end the ping")
if time.time() - t0 > 2:
    fail("the abort took %.1f s" % (time.time() - t0))
os.write(fd, b"show version\r")
if expect(b"Version", 5, at) < 0:
    fail("no command after the abort")
os.write(fd, b"exit\r")
expect(b"\0", 5)  # until the console closes: a sanitizer would speak now
os.waitpid(pid, 0)
if b"Sanitizer" in buf or b"runtime error" in buf:
    fail("the console's sanitizer")
print("ok")
PYEOF
}

# pcap_count FILE: the records of a pcap file (tcpdump when installed, else
# the file's own structure), or "bad" when it is not one
pcap_count() {
	if command -v tcpdump >/dev/null 2>&1; then
		tcpdump -nr "$1" 2>/dev/null | wc -l
	else
		python3 - "$1" <<'PYEOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
if len(d) < 24 or struct.unpack('=I', d[:4])[0] != 0xa1b2c3d4:
    print('bad'); sys.exit()
off, n = 24, 0
while off + 16 <= len(d):
    incl = struct.unpack('=IIII', d[off:off + 16])[2]
    off += 16 + incl
    n += 1
print(n if off == len(d) else 'bad')
PYEOF
	fi
}

# pcap_lengths FILE: the original length of each record, one a line
pcap_lengths() {
	python3 - "$1" <<'PYEOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
off = 24
while off + 16 <= len(d):
    incl, orig = struct.unpack('=IIII', d[off:off + 16])[2:]
    print(orig)
    off += 16 + incl
PYEOF
}

# ---- ASA ----

cat >"$tmp/cfg" <<EOF
enable

configure terminal
hostname tools
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 10.0.0.1 255.255.255.0
 no shutdown
exit
end
write memory
EOF
start asa

v "ping 10.0.0.2" >"$tmp/ping1" 2>&1
check "ASA ping: the banner" grep -q "^Type escape sequence to abort\.$" "$tmp/ping1"
check "ASA ping: 5 echos of 100 bytes, 2 s" \
	grep -q "^Sending 5, 100-byte ICMP Echos to 10.0.0.2, timeout is 2 seconds:$" "$tmp/ping1"
check "ASA ping: five replies" grep -q "^!!!!!$" "$tmp/ping1"
check "ASA ping: 100 percent with round-trip times" \
	grep -q "^Success rate is 100 percent (5/5), round-trip min/avg/max = [0-9]*/[0-9]*/[0-9]* ms$" "$tmp/ping1"
check "ASA ping: no source line without an interface" sh -c "! grep -q 'source address' '$tmp/ping1'"

v "ping 10.0.0.99" >"$tmp/ping2" 2>&1
check "ping to an address that does not answer: five timeouts" grep -q "^\.\.\.\.\.$" "$tmp/ping2"
check "... and 0 percent" grep -q "^Success rate is 0 percent (0/5)$" "$tmp/ping2"

# The loop is not held: a 10 s ping on one console, show version on another.
fds0=$(fds)
t0=$(ms)
v "ping 10.0.0.99 repeat 5" >"$tmp/bgping" 2>&1 &
bg=$!
sleep 1
t1=$(ms)
v "show version" >"$tmp/bgver" 2>&1
t2=$(ms)
check "while a ping runs, another console answers within 2 s ($((t2 - t1)) ms)" [ $((t2 - t1)) -lt 2000 ]
check "... with its whole output" grep -q "Version" "$tmp/bgver"
check "... and the ping still runs meanwhile" kill -0 "$bg" 2>/dev/null
wait "$bg"
t3=$(ms)
check "the backgrounded ping: five timeouts" grep -q "^\.\.\.\.\.$" "$tmp/bgping"
check "... 0 percent (0/5)" grep -q "^Success rate is 0 percent (0/5)$" "$tmp/bgping"
check "... after 5 timeouts of 2 s ($((t3 - t0)) ms)" [ $((t3 - t0)) -ge 9500 ]

# Two pings side by side, each with its own echos.
v "ping 10.0.0.2 repeat 20" >"$tmp/par1" 2>&1 &
bg=$!
v "ping 10.0.0.2 repeat 20" >"$tmp/par2" 2>&1
wait "$bg"
check "two pings at once: both answered in full" \
	sh -c "grep -q '^Success rate is 100 percent (20/20)' '$tmp/par1' && grep -q '^Success rate is 100 percent (20/20)' '$tmp/par2'"

# A console that goes away mid-ping: its ping stops, its socket is closed.
"$vpnsh" --connect "$tmp/sock" -c "ping 10.0.0.99 repeat 100" >/dev/null 2>&1 &
bg=$!
sleep 1
kill "$bg"
wait "$bg" 2>/dev/null
sleep 0.3
check "a client gone mid-ping: the appliance holds no more descriptors than before ($(fds) vs $fds0)" [ "$(fds)" -eq "$fds0" ]
check "... and answers" has "show version" "Version"
v "ping 10.0.0.2 repeat 2" "show clock" >"$tmp/ping5" 2>&1
check "-c over the socket: the ping's output comes whole, before the next command's" \
	sh -c "sed -n '3,5p' '$tmp/ping5' | tr '\n' ' ' | grep -q '^!! Success rate is 100 percent (2/2).* \*\{0,1\}[0-9][0-9]:[0-9][0-9]:'"

# a capture of what the appliance sends and receives, to see the datagrams' size
v "capture SIZE interface outside match icmp host 10.0.0.1 host 10.0.0.2" >/dev/null
v "ping outside 10.0.0.2 repeat 3 size 200" >"$tmp/ping3" 2>&1
check "ping from an interface, repeat 3 size 200" \
	grep -q "^Sending 3, 200-byte ICMP Echos to 10.0.0.2, timeout is 2 seconds:$" "$tmp/ping3"
check "... three replies" grep -q "^!!!$" "$tmp/ping3"
check "... 100 percent (3/3)" grep -q "^Success rate is 100 percent (3/3)" "$tmp/ping3"
v "copy /noconfirm /pcap capture:SIZE $tmp/size.pcap" >/dev/null
if command -v python3 >/dev/null 2>&1; then
	check "size is the whole IP datagram: 200 bytes (214 with the Ethernet header)" \
		[ "$(pcap_lengths "$tmp/size.pcap" | sort -u)" = 214 ]
fi
check "ping from an unknown interface: the ASA's caret error" fails "ping nosuch 10.0.0.2"
v "ping nosuch 10.0.0.2" >"$tmp/ping4" 2>&1
check "... with the caret under the name" grep -q "^     ^$" "$tmp/ping4"
check "... and the error line" grep -q "^ERROR: % Invalid input detected at '^' marker\.$" "$tmp/ping4"
v "no capture SIZE" >/dev/null

# a capture of a ping the host makes
check "capture with a match" v "capture CAP interface outside match icmp host 10.0.0.2 host 10.0.0.1"
check "a second capture, of everything" v "capture ALL type raw-data interface outside"
check "a third, of UDP only" v "capture UDP interface outside match udp any any"
check "show capture lists it" has "show capture" "^capture CAP type raw-data interface outside \[Capturing - 0 bytes\]$"
check "... with its match" has "show capture" "^  match icmp host 10.0.0.2 host 10.0.0.1$"
ip netns exec "$B" ping -c 3 -i 0.2 -W 1 10.0.0.1 >/dev/null 2>&1
check "the host's ping got its replies" [ $? -eq 0 ]
v "show capture CAP" >"$tmp/cap"
check "show capture CAP: the echo requests" [ "$(grep -c '^ *[0-9]*: [0-9:.]*       10\.0\.0\.2 > 10\.0\.0\.1 icmp: echo request$' "$tmp/cap")" -eq 3 ]
check "... and the replies" [ "$(grep -c '^ *[0-9]*: [0-9:.]*       10\.0\.0\.1 > 10\.0\.0\.2 icmp: echo reply$' "$tmp/cap")" -eq 3 ]
check "... the first line as the ASA prints it" grep -q "^   1: [0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]\{6\}       10\.0\.0\.2 > 10\.0\.0\.1 icmp: echo request$" "$tmp/cap"
check "... 6 packets captured" grep -q "^6 packets captured$" "$tmp/cap"
check "... 6 packets shown" grep -q "^6 packets shown$" "$tmp/cap"
check "show capture counts the bytes" has "show capture" "^capture CAP type raw-data interface outside \[Capturing - 588 bytes\]$"
check "the capture of everything saw them too" [ "$(v "show capture ALL" | grep -c 'icmp: echo')" -ge 6 ]
check "the UDP capture saw nothing" has "show capture UDP" "^0 packet captured$"

v "copy /pcap capture:CAP $tmp/cap.pcap" >"$tmp/copy" 2>&1
check "copy /pcap asks for the capture, then the file" grep -q "^Source capture name \[CAP\]? $" "$tmp/copy"
check "... 6 packets copied" grep -q "^6 packets copied in [0-9.]* secs$" "$tmp/copy"
check "tcpdump reads the pcap file: 6 packets" [ "$(pcap_count "$tmp/cap.pcap")" = 6 ]
if command -v tcpdump >/dev/null 2>&1; then
	check "... echo requests and replies" [ "$(tcpdump -nr "$tmp/cap.pcap" 2>/dev/null | grep -c 'ICMP echo re')" -eq 6 ]
else
	echo "skip: tcpdump is not installed; the pcap file was checked by its structure"
fi
v "copy /pcap capture:CAP disk0:/cap2.pcap" >/dev/null 2>&1
check "copy to disk0: writes beside the startup-config" [ "$(pcap_count "$tmp/disk0/cap2.pcap")" = 6 ]
check "copy to a server: a clear error" fails "copy /pcap capture:CAP tftp://10.0.0.2/cap.pcap"
check "copy of a capture that does not exist fails" fails "copy /pcap capture:NOPE $tmp/nope.pcap"
check "... and writes nothing" [ ! -e "$tmp/nope.pcap" ]

# UDP (NAT-T's port) and ESP from the host, as the captures print them
check "a capture of ESP" v "capture ESP interface outside match esp 10.0.0.0 255.255.255.0 any"
if command -v python3 >/dev/null 2>&1; then
	ip netns exec "$B" python3 - <<'PYEOF'
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("10.0.0.2", 4500))
u.sendto(b"x" * 124, ("10.0.0.1", 4500))
e = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
e.sendto(bytes.fromhex("c4a3b2f100000001") + bytes(32), ("10.0.0.1", 0))
PYEOF
	sleep 0.2
	check "UDP as the ASA prints it" has "show capture UDP" "^   1: [0-9:.]*       10\.0\.0\.2\.4500 > 10\.0\.0\.1\.4500:  udp 124$"
	check "ESP with its SPI and sequence number" \
		has "show capture ESP" "^   1: [0-9:.]*       10\.0\.0\.2 > 10\.0\.0\.1 esp spi 0xc4a3b2f1 seq 1$"
	check "an ICMP port unreachable names the port" \
		has "show capture ALL" "10\.0\.0\.1 > 10\.0\.0\.2 icmp: 10\.0\.0\.1 udp port 4500 unreachable$"
	check "a network match sees nothing else" has "show capture ESP" "^1 packet captured$"
else
	echo "skip: no python3 to send UDP and ESP from the host"
fi

check "capture on an interface that does not exist: an error" fails "capture X interface nosuch"
v "capture X interface nosuch" >"$tmp/badcap" 2>&1
check "... the caret under the name" grep -q "^                    ^$" "$tmp/badcap"
check "... the ASA's error line" grep -q "^ERROR: % Invalid input detected at '^' marker\.$" "$tmp/badcap"
check "... and nothing was created" lacks "show capture" "^capture X "
check "show capture of one that does not exist fails" fails "show capture X"
check "a match with host bits in the network: an error" \
	fails "capture Y interface outside match ip 10.0.0.1 255.255.255.0 any"
check "... and nothing was created" lacks "show capture" "^capture Y "

v "clear capture CAP" >/dev/null
check "clear capture empties it" has "show capture CAP" "^0 packet captured$"
check "... and it goes on capturing" has "show capture" "^capture CAP type raw-data interface outside \[Capturing - 0 bytes\]$"
v "no capture CAP" "no capture ALL" "no capture UDP" "no capture ESP" >/dev/null
check "no capture removes them" [ -z "$(v "show capture")" ]
stop

# ---- IOS ----

cat >"$tmp/cfg" <<EOF
enable
configure terminal
hostname tools
interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 no shutdown
end
write memory
EOF
start ios
v "ping 10.0.0.2 source GigabitEthernet0/0 repeat 2" >"$tmp/ios1" 2>&1
check "IOS ping with a source interface: the source line" \
	grep -q "^Packet sent with a source address of 10\.0\.0\.1 $" "$tmp/ios1"
check "... 2 echos" grep -q "^Sending 2, 100-byte ICMP Echos to 10.0.0.2, timeout is 2 seconds:$" "$tmp/ios1"
check "... both answered" grep -q "^!!$" "$tmp/ios1"
check "... 100 percent (2/2)" grep -q "^Success rate is 100 percent (2/2), round-trip" "$tmp/ios1"
check "options in any order, the interface abbreviated" \
	has "ping 10.0.0.2 repeat 1 source gi0/0 timeout 1" "^Success rate is 100 percent (1/1)"
check "a source address" has "ping 10.0.0.2 source 10.0.0.1 repeat 1" "^Packet sent with a source address of 10\.0\.0\.1 $"
check "df-bit on a datagram larger than the MTU: could not fragment" \
	has "ping 10.0.0.2 size 2000 df-bit repeat 2" "^MM$"
check "without df-bit it is fragmented and answered" has "ping 10.0.0.2 size 2000 repeat 2" "^!!$"
check "a source address the appliance does not have: the IOS error" \
	has "ping 10.0.0.2 source 10.9.9.9" "^% Invalid source address- IP address not on any of our up interfaces$"
check "capture is an ASA command" fails "capture X interface outside"

if command -v python3 >/dev/null 2>&1; then
	out=$(pty_abort 1e "tools>" "$vpnsh" --connect "$tmp/sock")
	check "Ctrl-^ on a socket console aborts a ping ($out)" [ "$out" = ok ]
	out=$(pty_abort 03 ">" ip netns exec "$A" "$vpnsh" --db none --personality ios --no-apply)
	check "Ctrl-C on the local console aborts a ping ($out)" [ "$out" = ok ]
else
	echo "skip: no python3 to drive a console on a pseudo-terminal"
fi
printf 'ping 10.0.0.2 repeat 2\nshow clock\n' |
	ip netns exec "$A" "$vpnsh" --db none --personality ios --no-apply >"$tmp/batch" 2>"$tmp/batch.err"
check "batch mode: the ping's whole output before the next line" \
	sh -c "sed -n '4,6p' '$tmp/batch' | tr '\n' ' ' | grep -q '^!! Success rate is 100 percent (2/2).* Router>show clock '"
check "... nothing on standard error" [ ! -s "$tmp/batch.err" ]
ip netns exec "$A" "$vpnsh" --db none --personality ios --no-apply -c "ping 10.0.0.2 repeat 2" -c "show clock" \
	>"$tmp/dashc" 2>"$tmp/dashc.err"
check "-c: the ping's whole output, then the next command's" \
	sh -c "sed -n '3,5p' '$tmp/dashc' | tr '\n' ' ' | grep -q '^!! Success rate is 100 percent (2/2).* \*\{0,1\}[0-9][0-9]:[0-9][0-9]:'"
check "... nothing on standard error" [ ! -s "$tmp/dashc.err" ]
# the appliance stops while a console pings: the ping goes with it, cleanly
"$vpnsh" --connect "$tmp/sock" -c "ping 10.0.0.99 repeat 100" >/dev/null 2>&1 &
bg=$!
sleep 1
stop
wait "$bg"

echo "tools: $pass passed, $fail failed"
[ $fail -eq 0 ]
