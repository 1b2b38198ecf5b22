#!/bin/sh
# xfrm.sh -- throughput of the kernel XFRM dataplane, vpnsh's states against
# the very same states and policies set by hand with `ip xfrm`, and the clear
# path beside them: bench/xfrm_guest.sh (its header says what each figure is
# and how to read them) inside the Debian kernel that tests/kernel/qemu.sh
# boots, since the build machines' kernels have no ESP. Builds nothing.
#
# The guest runs under TCG on a shared machine: the absolute figures are a
# fraction of the host's and noisy (10-15 % from one run to the next); what
# counts is vpnsh / hand-set of the means (near 1.00: vpnsh adds nothing to
# the kernel's ESP) against the spread column; BENCH_ROUNDS=6 narrows it.
#
# usage (as root): bench/xfrm.sh [VPNSH]
#   BENCH_SECONDS  iperf3 seconds per measurement (default 10)
#   BENCH_ROUNDS   rounds of every measurement (default 2)
#   the VPNSH_KTEST_* settings of tests/kernel/qemu.sh apply
set -u
here=$(cd "$(dirname "$0")" && pwd)
vpnsh=$(realpath "${1:-build/vpnsh}")
secs=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-2}
[ "$(id -u)" = 0 ] || { echo "bench/xfrm: needs root (tests/kernel/qemu.sh builds an initramfs)"; exit 0; }
command -v qemu-system-x86_64 >/dev/null || { echo "bench/xfrm: qemu is not installed (make setup)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# qemu.sh passes no environment into the guest: a file beside the script does
printf 'BENCH_SECONDS=%s\nBENCH_ROUNDS=%s\n' "$secs" "$rounds" >"$tmp/xfrm_bench.env"
# five measurements per round (2 s more than secs each), the tunnels' setup
VPNSH_KTEST_TIMEOUT=${VPNSH_KTEST_TIMEOUT:-$((600 + rounds * 5 * (2 * secs + 15)))}
VPNSH_KTEST_FILES="${VPNSH_KTEST_FILES:-} $tmp/xfrm_bench.env"
export VPNSH_KTEST_TIMEOUT VPNSH_KTEST_FILES

# the guest's output as it comes, without the console's boot and power-off
# lines; qemu.sh's own messages stay when they say something went wrong
{
	sh "$here/../tests/kernel/qemu.sh" "$here/xfrm_guest.sh" "$vpnsh"
	echo $? >"$tmp/rc"
} 2>&1 | grep --line-buffered -v -E \
	'^\[ *[0-9]+\.[0-9]+\]|^ktest: |^VPNSH-KTEST-EXIT=|^qemu\.sh: (kernel .*initramfs|guest script exited 0 )'
rc=$(cat "$tmp/rc" 2>/dev/null || echo 1)
[ "$rc" = 0 ] ||
	echo "bench/xfrm: the guest failed (status $rc); its console is in ${VPNSH_KERNEL_CACHE:-build/kernel}/console.log"
exit "$rc"
