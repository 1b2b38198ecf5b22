#!/bin/sh
# qemu.sh -- runs a guest script inside a stock Debian 12 cloud kernel under
# qemu, so that the kernel XFRM dataplane can be tested end to end on machines
# whose own kernel has no ESP.
#
# usage: sh tests/kernel/qemu.sh GUEST_SCRIPT [VPNSH_BINARY]     (as root)
#
# The first run fetches the kernel package (apt-get download) into the cache
# directory and builds a cached archive of its network and crypto modules;
# later runs reuse both and rebuild only the per-run archive (the programs,
# their libraries, vpnsh, the scripts: a few seconds). The
# guest boots from that initramfs, loads the ESP and crypto modules, runs
#   cd /t && sh /t/guest.sh /t/vpnsh </dev/null
# and prints VPNSH-KTEST-EXIT=<status>; this script exits with that status
# (1 when the marker is missing: timeout, panic, no kernel).
#
# In the guest: /t/guest.sh (GUEST_SCRIPT), /t/vpnsh (also on PATH as vpnsh),
# the shell libraries tests/net/lib_*.sh, the files of tests/kernel/, and
# whatever $VPNSH_KTEST_FILES names (host files or directories, copied into
# /t/ by their base name). The shell is dash; the GNU coreutils, grep, sed,
# findutils and mawk, iproute2, kmod, iperf3, iputils ping, tcpdump and nft
# are the host's; busybox provides the rest.
# Environment there: VPNSH=/t/vpnsh, VPNSH_KTEST=1, HOME=/root, TMPDIR=/tmp.
#
#   VPNSH_KERNEL_CACHE   cache directory (default build/kernel)
#   VPNSH_KTEST_TIMEOUT  seconds before the guest is killed (default 900)
#   VPNSH_KTEST_ACCEL    qemu accelerator (default tcg; nested kvm hangs here)
#   VPNSH_KTEST_FILES    extra files for /t/, separated by spaces
#   VPNSH_KTEST_MEM      guest memory in MB (default 1024)
#
# Cache layout: DIR/linux-image-*.deb, DIR/root/ (the package unpacked, with
# modules.dep), DIR/version, DIR/modules-VERSION.cpio.gz and DIR/console.log
# (the serial console of the last run). While a run lasts, DIR/run.PID holds
# its tree (initrd/), initramfs.img (both archives, concatenated) and qemu's
# pid file; runs may overlap.
set -e

usage="usage: sh tests/kernel/qemu.sh GUEST_SCRIPT [VPNSH_BINARY]"
caller=$(pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "$usage" >&2; exit 2; }
guest=$(realpath "$1")
vpnsh=$(realpath "${2:-$top/build/vpnsh}")
cache=${VPNSH_KERNEL_CACHE:-$top/build/kernel}
limit=${VPNSH_KTEST_TIMEOUT:-900}
accel=${VPNSH_KTEST_ACCEL:-tcg}
mem=${VPNSH_KTEST_MEM:-1024}
multiarch=x86_64-linux-gnu

die() { echo "qemu.sh: $*" >&2; exit 1; }

[ -f "$guest" ] || die "no guest script $1"
[ -x "$vpnsh" ] || die "no vpnsh binary ${2:-build/vpnsh} (make it first)"
[ "$(id -u)" -eq 0 ] || die "must run as root (the initramfs holds device nodes; apt-get download)"
for tool in qemu-system-x86_64 busybox cpio gzip depmod dpkg-deb timeout ldd; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing; run make setup (scripts/setup.sh)"
done
mkdir -p "$cache"
cache=$(realpath "$cache")

# ---- the kernel: fetched once, then reused ----

# The package the meta package linux-image-cloud-amd64 depends on, else the
# newest linux-image-6.1.0-N-cloud-amd64 apt knows of.
kernel_package() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-cloud-amd64\)$/\1/p' | head -1 | grep . ||
		apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' 2>/dev/null |
		awk '{ print $1 }' | sort -V | tail -1 | grep .
}

kernel_fetch() {
	version=$(cat "$cache/version" 2>/dev/null || true)
	if [ -n "$version" ] && [ -f "$cache/root/boot/vmlinuz-$version" ] &&
		[ -f "$cache/root/lib/modules/$version/modules.dep" ]; then
		return 0
	fi
	command -v apt-get >/dev/null 2>&1 || die "no kernel in $cache and no apt-get to fetch one"
	package=$(kernel_package) || {
		apt-get update -qq >/dev/null 2>&1 || true
		package=$(kernel_package)
	} || die "cannot find a linux-image-6.1.0-*-cloud-amd64 package with apt-cache (is the Debian 12 archive in sources.list?)"
	version=${package#linux-image-}
	echo "qemu.sh: fetching $package into $cache"
	rm -f "$cache"/linux-image-*.deb
	(cd "$cache" && apt-get download -q -o APT::Sandbox::User=root "$package") ||
		die "apt-get download $package failed: the kernel tests need the Debian archive"
	deb=$(ls "$cache"/"$package"_*.deb 2>/dev/null | head -1)
	[ -f "$deb" ] || die "apt-get download $package left no .deb in $cache"
	rm -rf "$cache/root" "$cache/root.tmp"
	dpkg-deb -x "$deb" "$cache/root.tmp"
	[ -f "$cache/root.tmp/boot/vmlinuz-$version" ] || die "$deb holds no boot/vmlinuz-$version"
	depmod -b "$cache/root.tmp" "$version"
	mv "$cache/root.tmp" "$cache/root"
	echo "$version" >"$cache/version"
}

# The modules archive: the network, crypto and library modules of the kernel
# and every module they depend on, with a modules.dep of their own, so that
# both explicit modprobe and the kernel's own requests (crypto algorithms,
# nf_tables expressions, ...) find them. Built once per kernel version.
modules_archive() {
	marchive="$cache/modules-$version.cpio.gz"
	[ -f "$marchive" ] && return 0
	echo "qemu.sh: building $marchive"
	src="$cache/root/lib/modules/$version"
	mstage="$cache/modules.tmp"
	rm -rf "$mstage"
	dst="$mstage/usr/lib/modules/$version"
	mkdir -p "$dst"
	(
		cd "$src"
		for tree in kernel/net kernel/crypto kernel/lib kernel/arch/x86/crypto kernel/drivers/net \
			kernel/drivers/char/hw_random kernel/drivers/virtio; do
			[ -d "$tree" ] && find "$tree" -name '*.ko*'
		done >"$mstage/list"
		# modules.dep lines read "path: dep dep ..." with the full closure
		awk -F': *' 'NR == FNR { want[$1] = 1; next }
			($1 in want) { n = split($2, d, " "); for (i = 1; i <= n; i++) print d[i] }' \
			"$mstage/list" modules.dep >"$mstage/deps"
		sort -u "$mstage/list" "$mstage/deps" | while read -r ko; do
			mkdir -p "$dst/$(dirname "$ko")"
			cp "$ko" "$dst/$ko"
		done
		for f in modules.builtin modules.builtin.modinfo modules.order; do
			[ -f "$f" ] && cp "$f" "$dst/"
		done
	)
	rm -f "$mstage/list" "$mstage/deps"
	depmod -b "$mstage/usr" "$version"
	(cd "$mstage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6) >"$marchive.tmp"
	mv "$marchive.tmp" "$marchive"
	rm -rf "$mstage"
}

# ---- the per-run archive ----

# copy_file HOSTPATH: into the same place in the tree (through the usr merge)
copy_file() {
	[ -e "$stage$1" ] && return 0
	mkdir -p "$stage$(dirname "$1")"
	cp -L "$1" "$stage$1"
}

# copy_binary HOSTPATH [GUESTPATH]: a real program over busybox's applet of
# the same name (by default in the directory its real file is in, under the
# name given), and later its libraries
copy_binary() {
	_to=${2:-$(dirname "$(realpath "$1")")/$(basename "$1")}
	_name=$(basename "$_to")
	rm -f "$stage/usr/bin/$_name" "$stage/usr/sbin/$_name"
	mkdir -p "$stage$(dirname "$_to")"
	cp -L "$1" "$stage$_to"
	echo "$1" >>"$stage.elf"
}

# host_tool NAME: the real program NAME when the host has it (optional ones
# are simply left out)
host_tool() {
	_p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$1" 2>/dev/null) || return 0
	copy_binary "$_p"
}

# host_package PACKAGE: every program of that installed Debian package
host_package() {
	dpkg -L "$1" 2>/dev/null | grep -E '^/(usr/)?s?bin/[^/]+$' | while read -r _p; do
		[ -f "$_p" ] && copy_binary "$_p"
	done
	return 0
}

build_initrd() {
	mkdir -p "$stage"
	cd "$stage"
	mkdir -p usr/bin usr/sbin usr/lib/$multiarch usr/lib64 dev proc sys tmp run var etc root t
	ln -s usr/bin bin
	ln -s usr/sbin sbin
	ln -s usr/lib lib
	ln -s usr/lib64 lib64
	ln -s ../run var/run
	mknod -m 600 dev/console c 5 1
	mknod -m 666 dev/null c 1 3
	chmod 1777 tmp

	# busybox and its applets; the real programs then replace some of them
	cp -L "$(command -v busybox)" usr/bin/busybox
	busybox --list-full | while read -r applet; do
		case $applet in
		usr/bin/busybox | linuxrc) ;;
		*) [ -e "$applet" ] || [ -L "$applet" ] || ln -s /usr/bin/busybox "$applet" ;;
		esac
	done
	# This busybox runs its own applets in preference to PATH (in its shell
	# and in env, timeout, xargs, ...), so the shell is dash, as on the
	# host, and every program that runs others, or that scripts written on
	# the host expect with its GNU options, is the host's own.
	copy_binary "$(realpath /bin/sh)" /usr/bin/sh
	ln -sf sh usr/bin/dash
	for package in coreutils grep sed findutils; do
		host_package "$package"
	done
	for tool in awk setsid flock unshare nsenter taskset chrt ionice setarch time \
		ip ss bridge tc iperf3 ping tcpdump nft; do
		host_tool "$tool"
	done
	# busybox applets that would run busybox's ip, ping, ... in place of
	# the real ones and have no host version here: better absent
	for applet in time chpst envdir envuidgid softlimit setuidgid run-parts \
		start-stop-daemon su script linux32 linux64; do
		for dir in usr/bin usr/sbin; do
			[ "$(readlink "$dir/$applet" 2>/dev/null)" = /usr/bin/busybox ] && rm -f "$dir/$applet"
		done
	done
	copy_binary "$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v kmod)" /usr/bin/kmod
	for link in modprobe insmod rmmod lsmod depmod modinfo; do
		rm -f "usr/bin/$link" "usr/sbin/$link"
		ln -s /usr/bin/kmod "usr/sbin/$link"
	done
	copy_binary "$vpnsh" /t/vpnsh
	ln -s /t/vpnsh usr/bin/vpnsh

	# OpenSSL: the provider modules (vpnsh loads the legacy one for DES) and
	# the configuration
	ossl=/usr/lib/$multiarch/ossl-modules
	if [ -d "$ossl" ]; then
		mkdir -p "$stage$ossl"
		cp -L "$ossl"/*.so "$stage$ossl/"
		ls "$ossl"/*.so >>"$stage.elf"
	fi
	[ -f /etc/ssl/openssl.cnf ] && copy_file /etc/ssl/openssl.cnf && mkdir -p usr/lib/ssl &&
		ln -sf /etc/ssl/openssl.cnf usr/lib/ssl/openssl.cnf
	# dlopen()ed by glibc: libgcc_s for pthread_cancel, NSS files
	for lib in /usr/lib/$multiarch/libgcc_s.so.1 /usr/lib/$multiarch/libnss_files.so.2; do
		[ -e "$lib" ] && copy_file "$lib" && echo "$lib" >>"$stage.elf"
	done

	# every shared library of those programs, and the dynamic loader
	sort -u "$stage.elf" | xargs -n 32 -P 2 ldd 2>/dev/null |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(0x/ { print $1 }' |
		sort -u | while read -r lib; do
		copy_file "$lib"
	done
	rm -f "$stage.elf"
	[ -e "$stage/lib64/ld-linux-x86-64.so.2" ] || copy_file /lib64/ld-linux-x86-64.so.2

	# /etc
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >etc/passwd
	printf 'root:x:0:\nnogroup:x:65534:\n' >etc/group
	printf 'passwd: files\ngroup: files\nhosts: files\nservices: files\nprotocols: files\n' >etc/nsswitch.conf
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >etc/hosts
	echo ktest >etc/hostname
	for f in /etc/protocols /etc/services; do
		[ -f "$f" ] && copy_file "$f"
	done
	[ -d /etc/iproute2 ] && cp -r /etc/iproute2 etc/

	# the scripts: tests/kernel/, the namespace library, the guest script
	cp -r "$here"/. t/
	cp "$top"/tests/net/lib_*.sh t/
	for extra in ${VPNSH_KTEST_FILES:-}; do
		case $extra in /*) ;; *) extra=$caller/$extra ;; esac
		[ -e "$extra" ] || die "VPNSH_KTEST_FILES: no $extra"
		cp -r "$extra" t/
	done
	cp "$guest" t/guest.sh

	write_init >init
	chmod 755 init
	cd "$top"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$run/run.cpio.gz"
	cat "$cache/modules-$version.cpio.gz" "$run/run.cpio.gz" >"$image"
	rm -f "$run/run.cpio.gz"
}

# The guest's /init (PID 1; /bin/sh is dash).
write_init() {
	cat <<'EOF'
#!/bin/sh
# /init of the kernel test guest, written by tests/kernel/qemu.sh: mounts,
# loads the ESP and crypto modules, runs /t/guest.sh, prints its status as
# VPNSH-KTEST-EXIT=N and powers off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp VPNSH=/t/vpnsh VPNSH_KTEST=1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/netns
stty -onlcr 2>/dev/null
hostname ktest
echo /usr/sbin/modprobe >/proc/sys/kernel/modprobe
ip link set lo up

# the ESP dataplane and its algorithms; what is built in succeeds silently,
# what is missing is said (the accelerated drivers are optional)
modules="xfrm_algo xfrm_user esp4 esp6 authenc echainiv seqiv gcm ghash_generic
	aes_generic aesni_intel ghash_clmulni_intel cbc ctr hmac md5 sha1_generic sha256_generic
	sha512_generic sha1_ssse3 sha256_ssse3 sha512_ssse3 des_generic des3_ede_x86_64
	veth tun af_packet udp_tunnel xfrm4_tunnel xfrm_interface drbg jitterentropy_rng
	virtio_pci virtio_rng"
# one modprobe for all is seconds faster under TCG; one by one only to say
# which failed
if ! modprobe -a $modules 2>/dev/null; then
	for m in $modules; do
		modprobe "$m" 2>/dev/null || echo "ktest: modprobe $m failed"
	done
fi

echo "ktest: kernel $(uname -r), $(nproc) CPUs, up $(cut -d' ' -f1 /proc/uptime) s, running /t/guest.sh"
cd /t
sh /t/guest.sh /t/vpnsh </dev/null
status=$?
echo "ktest: guest.sh exited $status, up $(cut -d' ' -f1 /proc/uptime) s"
echo "VPNSH-KTEST-EXIT=$status"
sync
poweroff -f
exit "$status"
EOF
}

# ---- the run ----

# the kernel and the modules archive under a lock: runs may overlap
exec 9>"$cache/lock"
command -v flock >/dev/null 2>&1 && flock 9
kernel_fetch
modules_archive
exec 9>&-

# Everything else of this run in a directory of its own, removed at the end;
# the console log is copied to DIR/console.log. Directories that runs killed
# outright left behind go first.
for old in "$cache"/run.*; do
	[ -d "$old" ] && ! kill -0 "${old##*.}" 2>/dev/null && rm -rf "$old"
done
run="$cache/run.$$"
stage="$run/initrd"
image="$run/initramfs.img"
pidfile="$run/qemu.pid"
log="$cache/console.log"
# stop the qemu this run started (its command line names our pid file)
# when the script is interrupted, perhaps before qemu wrote that file
finished="" console=""
cleanup() {
	set +e
	[ -n "$finished" ] || [ -s "$pidfile" ] || sleep 1
	_pid=$(cat "$pidfile" 2>/dev/null)
	if [ -n "$_pid" ] && tr '\0' ' ' <"/proc/$_pid/cmdline" 2>/dev/null | grep -qF -- "-pidfile $pidfile"; then
		kill "$_pid" 2>/dev/null
	fi
	[ -n "$console" ] && wait "$console" 2>/dev/null
	[ -f "$run/console.log" ] && cp "$run/console.log" "$log"
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$run"
mkdir -p "$run"

start=$(date +%s)
build_initrd
echo "qemu.sh: kernel $version, initramfs $(du -k "$image" | cut -f1) KB" \
	"(built in $(($(date +%s) - start)) s), accel $accel, timeout $limit s"

{
	set +e
	timeout --foreground -k 10 "$limit" qemu-system-x86_64 -accel "$accel" -cpu max -smp 2 -m "$mem" \
		-display none -monitor none -serial stdio -no-reboot -nic none \
		-device virtio-rng-pci -pidfile "$pidfile" \
		-kernel "$cache/root/boot/vmlinuz-$version" -initrd "$image" \
		-append "console=ttyS0 panic=-1 quiet mitigations=off" </dev/null
	echo $? >"$run/qemu.rc"
} 2>&1 | tee "$run/console.log" &
# waiting in the background lets the traps run at once on a signal
console=$!
wait "$console"
finished=1

rc=$(cat "$run/qemu.rc" 2>/dev/null || echo "?")
status=$(tr -d '\r' <"$run/console.log" | sed -n 's/^VPNSH-KTEST-EXIT=\([0-9]*\)$/\1/p' | tail -1)
elapsed=$(($(date +%s) - start))
if [ -z "$status" ]; then
	case $rc in
	124 | 137) echo "qemu.sh: the guest did not finish within $limit s (VPNSH_KTEST_TIMEOUT); console in $log" ;;
	*) echo "qemu.sh: the guest ended without a VPNSH-KTEST-EXIT line (qemu exit $rc); console in $log" ;;
	esac
	exit 1
fi
echo "qemu.sh: guest script exited $status after $elapsed s"
exit "$status"
