#!/bin/sh
# setup.sh -- brings a fresh Debian 12 machine to the point where vpnsh builds:
# installs the Debian packages it needs (as root), generates configure and
# runs it. Called by `make run` and `make check`; cheap when nothing is missing.
set -e
cd "$(dirname "$0")/.."

# Build and test dependencies. strongSwan (a real IKE peer; its openssl plugin is in the standard
# plugins), ping, tcpdump, nftables (a NAT) and python3-textfsm serve the tests, iperf3 the benchmarks;
# qemu, busybox, kmod and cpio boot the kernel tests' Debian kernel (tests/kernel/qemu.sh).
PKGS="build-essential pkg-config autoconf automake libedit-dev libssl-dev libsqlite3-dev \
libnl-3-dev libnl-xfrm-3-dev libnl-route-3-dev libcrypt-dev check iproute2 python3 python3-textfsm \
strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins \
libstrongswan-standard-plugins iputils-ping iperf3 tcpdump nftables \
qemu-system-x86 busybox-static kmod cpio"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "setup: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "setup: missing packages; run as root:"
		echo "apt-get install -y$missing"
		exit 1
	fi
fi

if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi >/dev/null
fi
if [ ! -f config.mk ] || [ configure -nt config.mk ] || [ config.mk.in -nt config.mk ]; then
	./configure -q
fi
