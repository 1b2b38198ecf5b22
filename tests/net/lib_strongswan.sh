# lib_strongswan.sh -- a real strongSwan (charon) IKEv1 peer for the network
# tests, one instance per network namespace.
#
# usage: . tests/net/lib_strongswan.sh   (POSIX sh, as root, Debian 12 with
#        strongswan-charon strongswan-swanctl libcharon-extra-plugins
#        libstrongswan-extra-plugins)
#
#   sw_conf_v1 FILE NAME LOCAL_ADDR REMOTE_ADDR LOCAL_TS REMOTE_TS \
#              IKE_PROPOSAL ESP_PROPOSAL PSK [AGGRESSIVE yes|no] \
#              [START_ACTION none|trap|start] [DPD_DELAY seconds or empty]
#       write a swanctl.conf holding one IKEv1 PSK connection NAME with one
#       tunnel-mode child "net" and the matching secret.
#   sw_start NS DIR    start charon in network namespace NS (NS "-": the
#       current one), every file in DIR: strongswan.conf, charon.log,
#       charon.vici, charon.pid; then load DIR/swanctl.conf (written by the
#       caller beforehand).  Waits at most SW_START_WAIT (10) seconds for
#       the vici socket.  Non-zero and a message on stderr on failure.
#   sw_load DIR        (re)load DIR/swanctl.conf into the running instance.
#   sw_initiate DIR CHILD [IKE]   swanctl --initiate, bounded by
#       SW_TIMEOUT (15) seconds; returns swanctl's status.
#   sw_terminate DIR IKE          swanctl --terminate --ike IKE.
#   sw_sas DIR         print swanctl --list-sas.
#   sw_swanctl DIR ARGS...        any other swanctl command on that instance.
#   sw_stop DIR        stop that charon and anything left of it; safe to
#       call twice, or when sw_start failed half way.
#
# The kernel here has no ESP: charon runs libipsec's userspace dataplane
# (kernel-libipsec + kernel-netlink), which forces UDP encapsulation on
# port 4500 and carries traffic through a TUN device ipsec0, the remote
# selectors being routed through table 220.  Each charon runs in a mount
# namespace of its own whose /run is DIR/run, so that pid files and
# sockets of several instances do not collide.
#
# Callers: trap sw_stop, e.g.  trap 'sw_stop "$d1"; sw_stop "$d2"' EXIT
# Knobs (environment): SW_CHARON (path of charon), SW_START_WAIT,
# SW_TIMEOUT, SW_EXTRA_CONF (text added inside strongswan.conf's charon {}).
#
# Variables of the library are prefixed _sw_ (POSIX sh has no `local`).

_sw_err() { echo "lib_strongswan: $*" >&2; }

# _sw_charon: print the path of Debian's charon daemon.
_sw_charon() {
	if [ -n "${SW_CHARON:-}" ]; then
		[ -x "$SW_CHARON" ] && { echo "$SW_CHARON"; return 0; }
		_sw_err "SW_CHARON=$SW_CHARON is not executable"
		return 1
	fi
	for _sw_c in /usr/lib/ipsec/charon /usr/libexec/ipsec/charon \
		/usr/lib/strongswan/charon /usr/libexec/strongswan/charon; do
		[ -x "$_sw_c" ] && { echo "$_sw_c"; return 0; }
	done
	if command -v dpkg >/dev/null 2>&1; then
		_sw_c=$(dpkg -L strongswan-charon 2>/dev/null | grep '/charon$' | head -n 1)
		[ -n "$_sw_c" ] && [ -x "$_sw_c" ] && { echo "$_sw_c"; return 0; }
	fi
	_sw_c=$(command -v charon 2>/dev/null) && [ -x "$_sw_c" ] && { echo "$_sw_c"; return 0; }
	_sw_err "charon not found (apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins)"
	return 1
}

# _sw_absdir DIR: print DIR as an absolute, symlink-free path.
_sw_absdir() {
	(cd "$1" 2>/dev/null && pwd -P) || { _sw_err "no directory $1"; return 1; }
}

# _sw_swanctl DIR ARGS...: swanctl on the instance living in DIR.
_sw_swanctl() {
	_sw_d=$(_sw_absdir "$1") || return 1
	shift
	STRONGSWAN_CONF="$_sw_d/strongswan.conf" swanctl "$@" --uri "unix://$_sw_d/charon.vici"
}
sw_swanctl() { _sw_swanctl "$@"; }

# _sw_alive PID: the process exists and is not a zombie.
_sw_alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	_sw_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$_sw_st" ] && [ "$_sw_st" != Z ] && [ "$_sw_st" != X ]
}

# _sw_pids DIR: pids of every charon process started for DIR (found by
# the STRONGSWAN_CONF of its environment), the recorded one included.
_sw_pids() {
	_sw_want="STRONGSWAN_CONF=$1/strongswan.conf"
	for _sw_e in /proc/[0-9]*/environ; do
		_sw_p=${_sw_e#/proc/}
		_sw_p=${_sw_p%/environ}
		[ "$_sw_p" = "$$" ] && continue
		if tr '\0' '\n' 2>/dev/null <"$_sw_e" | grep -qxF -- "$_sw_want"; then
			case $(cat "/proc/$_sw_p/comm" 2>/dev/null) in
			charon*) echo "$_sw_p" ;;
			esac
		fi
	done
}

# _sw_write_strongswan_conf DIR
_sw_write_strongswan_conf() {
	cat >"$1/strongswan.conf" <<EOF
# strongswan.conf for one test instance (written by lib_strongswan.sh)
charon {
	load_modular = no
	load = random nonce aes sha1 sha2 hmac md5 pem pkcs1 x509 revocation curve25519 gmp kdf openssl kernel-libipsec kernel-netlink socket-default vici updown
	install_routes = yes
	i_dont_care_about_security_and_use_aggressive_mode_psk = yes
	retransmit_timeout = 2.0
	retransmit_base = 1.4
	retransmit_tries = 4
	filelog {
		charon-log {
			path = $1/charon.log
			time_format = %T
			ike_name = yes
			append = no
			flush_line = yes
			default = 1
			ike = 2
			cfg = 2
			knl = 2
			chd = 2
			net = 2
			esp = 2
			mgr = 1
			enc = 1
		}
	}
	syslog {
		daemon {
			default = -1
		}
	}
	plugins {
		vici {
			socket = unix://$1/charon.vici
		}
	}
${SW_EXTRA_CONF:-}
}
EOF
}

# sw_start NS DIR
sw_start() {
	if [ $# -ne 2 ]; then _sw_err "usage: sw_start NS DIR"; return 2; fi
	_sw_ns=$1
	_sw_dir=$(_sw_absdir "$2") || return 1
	case $_sw_dir/ in
	/run/* | /var/run/*) _sw_err "DIR must not be under /run ($_sw_dir)"; return 1 ;;
	esac
	[ -r "$_sw_dir/swanctl.conf" ] || { _sw_err "$_sw_dir/swanctl.conf missing"; return 1; }
	command -v swanctl >/dev/null 2>&1 || { _sw_err "swanctl not found (strongswan-swanctl)"; return 1; }
	_sw_bin=$(_sw_charon) || return 1
	if [ -n "$(_sw_pids "$_sw_dir")" ]; then
		_sw_err "a charon already runs for $_sw_dir"
		return 1
	fi
	if [ "$_sw_ns" != - ] && ! ip netns exec "$_sw_ns" true 2>/dev/null; then
		_sw_err "no network namespace $_sw_ns"
		return 1
	fi
	rm -rf "$_sw_dir/run"
	rm -f "$_sw_dir/charon.vici" "$_sw_dir/charon.pid" "$_sw_dir/charon.log"
	mkdir -p "$_sw_dir/run" || return 1
	_sw_write_strongswan_conf "$_sw_dir" || return 1

	# A private mount namespace whose /run is DIR/run; charon is exec'd
	# (ip netns exec and unshare exec too), so $! is charon's pid.  The
	# outer subshell exits at once: charon is not the caller's child and
	# the caller's `wait` does not wait for it.
	# shellcheck disable=SC2016 # $1 and $2 belong to the inner sh
	set -- sh -c 'mount --bind "$1/run" /run || exit 125
		exec env STRONGSWAN_CONF="$1/strongswan.conf" "$2"' sh "$_sw_dir" "$_sw_bin"
	if [ "$_sw_ns" = - ]; then
		set -- unshare -m --propagation private "$@"
	else
		set -- ip netns exec "$_sw_ns" unshare -m --propagation private "$@"
	fi
	(
		"$@" </dev/null >"$_sw_dir/charon.stdout" 2>&1 &
		echo $! >"$_sw_dir/charon.pid"
	)
	_sw_pid=$(cat "$_sw_dir/charon.pid" 2>/dev/null)

	# Wait for the vici socket to answer.
	_sw_i=0
	_sw_max=$(( ${SW_START_WAIT:-10} * 10 ))
	while :; do
		if [ -S "$_sw_dir/charon.vici" ] &&
			_sw_swanctl "$_sw_dir" --stats >/dev/null 2>&1; then
			break
		fi
		if ! _sw_alive "$_sw_pid"; then
			_sw_err "charon for $_sw_dir exited at start; last lines of its output and log:"
			tail -n 5 "$_sw_dir/charon.stdout" >&2 2>/dev/null
			tail -n 15 "$_sw_dir/charon.log" >&2 2>/dev/null
			sw_stop "$_sw_dir"
			return 1
		fi
		_sw_i=$((_sw_i + 1))
		if [ "$_sw_i" -ge "$_sw_max" ]; then
			_sw_err "charon for $_sw_dir: vici socket not answering after ${SW_START_WAIT:-10} s"
			tail -n 15 "$_sw_dir/charon.log" >&2 2>/dev/null
			sw_stop "$_sw_dir"
			return 1
		fi
		sleep 0.1
	done
	sw_load "$_sw_dir" || { sw_stop "$_sw_dir"; return 1; }
	return 0
}

# sw_load DIR: load DIR/swanctl.conf (connections and secrets).
sw_load() {
	_sw_ld=$(_sw_absdir "$1") || return 1
	# With --file swanctl also looks for credential directories (x509,
	# private, ...) next to the file: their absence is no error, and
	# those lines are left out of swanctl-load.out.
	_sw_rc=0
	_sw_swanctl "$_sw_ld" --load-all --noprompt --file "$_sw_ld/swanctl.conf" \
		>"$_sw_ld/swanctl-load.raw" 2>&1 || _sw_rc=$?
	grep -v "^opening directory '.*' failed: No such file or directory" \
		"$_sw_ld/swanctl-load.raw" >"$_sw_ld/swanctl-load.out"
	rm -f "$_sw_ld/swanctl-load.raw"
	if [ "$_sw_rc" -ne 0 ]; then
		_sw_err "swanctl --load-all failed (status $_sw_rc) for $_sw_ld/swanctl.conf:"
		cat "$_sw_ld/swanctl-load.out" >&2
		return 1
	fi
	# swanctl reports a broken section yet exits 0 in some versions.
	if grep -qiE 'fail|error|invalid|parsing' "$_sw_ld/swanctl-load.out"; then
		_sw_err "swanctl --load-all complained about $_sw_ld/swanctl.conf:"
		cat "$_sw_ld/swanctl-load.out" >&2
		return 1
	fi
	return 0
}

# sw_initiate DIR CHILD [IKE]
sw_initiate() {
	if [ $# -lt 2 ]; then _sw_err "usage: sw_initiate DIR CHILD [IKE]"; return 2; fi
	if [ -n "${3:-}" ]; then
		_sw_swanctl "$1" --initiate --child "$2" --ike "$3" --timeout "${SW_TIMEOUT:-15}"
	else
		_sw_swanctl "$1" --initiate --child "$2" --timeout "${SW_TIMEOUT:-15}"
	fi
}

# sw_terminate DIR IKE
sw_terminate() {
	if [ $# -ne 2 ]; then _sw_err "usage: sw_terminate DIR IKE"; return 2; fi
	_sw_swanctl "$1" --terminate --ike "$2" --timeout "${SW_TIMEOUT:-15}"
}

# sw_sas DIR
sw_sas() {
	if [ $# -ne 1 ]; then _sw_err "usage: sw_sas DIR"; return 2; fi
	_sw_swanctl "$1" --list-sas
}

# sw_stop DIR
sw_stop() {
	if [ $# -ne 1 ]; then _sw_err "usage: sw_stop DIR"; return 2; fi
	_sw_sd=$(cd "$1" 2>/dev/null && pwd -P) || return 0
	_sw_list=$(
		cat "$_sw_sd/charon.pid" 2>/dev/null
		_sw_pids "$_sw_sd"
	)
	_sw_kill=""
	for _sw_p in $_sw_list; do
		case $_sw_p in *[!0-9]*) continue ;; esac
		_sw_alive "$_sw_p" || continue
		# Only charon, or the exec chain just before it (its command line
		# names DIR), is ours to kill: a recycled pid is left alone.
		case $(cat "/proc/$_sw_p/comm" 2>/dev/null) in
		charon*) ;;
		ip | unshare | sh | env)
			tr '\0' '\n' 2>/dev/null <"/proc/$_sw_p/cmdline" | grep -qxF -- "$_sw_sd" || continue
			;;
		*) continue ;;
		esac
		case " $_sw_kill " in *" $_sw_p "*) continue ;; esac
		_sw_kill="$_sw_kill $_sw_p"
	done
	# $_sw_kill: a list of pids (digits only), split on purpose.
	# shellcheck disable=SC2086
	[ -n "$_sw_kill" ] && kill -TERM $_sw_kill 2>/dev/null
	_sw_i=0
	while [ -n "$_sw_kill" ]; do
		_sw_left=""
		for _sw_p in $_sw_kill; do
			_sw_alive "$_sw_p" && _sw_left="$_sw_left $_sw_p"
		done
		_sw_kill=$_sw_left
		[ -z "$_sw_kill" ] && break
		_sw_i=$((_sw_i + 1))
		if [ "$_sw_i" -ge 50 ]; then
			# shellcheck disable=SC2086
			kill -KILL $_sw_kill 2>/dev/null
			sleep 0.2
			break
		fi
		sleep 0.1
	done
	rm -f "$_sw_sd/charon.pid" "$_sw_sd/charon.vici"
	return 0
}

# sw_conf_v1 FILE NAME LOCAL_ADDR REMOTE_ADDR LOCAL_TS REMOTE_TS IKE_PROPOSAL
#            ESP_PROPOSAL PSK [AGGRESSIVE] [START_ACTION] [DPD_DELAY]
# The PSK is written hex-encoded (0x...), so that any character survives.
# Lifetimes: IKE SA 4 h (IKEv1 re-authenticates), CHILD SA rekeyed after
# 1 h; SW_IKE_REKEY / SW_CHILD_REKEY override (swanctl time values).
# With DPD_DELAY: R_U_THERE every DPD_DELAY s when idle, the peer declared
# dead after 5 * DPD_DELAY s (IKEv1 dpd_timeout), its SAs then cleared.
sw_conf_v1() {
	if [ $# -lt 9 ] || [ $# -gt 12 ]; then
		_sw_err "usage: sw_conf_v1 FILE NAME LOCAL_ADDR REMOTE_ADDR LOCAL_TS REMOTE_TS IKE_PROPOSAL ESP_PROPOSAL PSK [AGGRESSIVE yes|no] [START_ACTION none|trap|start] [DPD_DELAY]"
		return 2
	fi
	_sw_file=$1 _sw_name=$2 _sw_laddr=$3 _sw_raddr=$4 _sw_lts=$5 _sw_rts=$6
	_sw_ikep=$7 _sw_espp=$8 _sw_psk=$9
	_sw_aggr=${10:-no} _sw_start=${11:-none} _sw_dpd=${12:-}
	case $_sw_name in
	'' | *[!A-Za-z0-9_-]*) _sw_err "connection name must be [A-Za-z0-9_-]+: $_sw_name"; return 2 ;;
	esac
	case $_sw_aggr in yes | no) ;; *) _sw_err "AGGRESSIVE must be yes or no: $_sw_aggr"; return 2 ;; esac
	case $_sw_start in none | trap | start) ;; *) _sw_err "START_ACTION must be none, trap or start: $_sw_start"; return 2 ;; esac
	case $_sw_dpd in '' | *[!0-9]*) [ -n "$_sw_dpd" ] && { _sw_err "DPD_DELAY must be seconds: $_sw_dpd"; return 2; } ;; esac
	[ -n "$_sw_psk" ] || { _sw_err "empty PSK"; return 2; }
	_sw_hex=$(printf '%s' "$_sw_psk" | od -An -v -tx1 | tr -d ' \n')
	{
		echo "# swanctl.conf written by lib_strongswan.sh sw_conf_v1"
		echo "connections {"
		echo "	$_sw_name {"
		echo "		version = 1"
		echo "		aggressive = $_sw_aggr"
		echo "		local_addrs = $_sw_laddr"
		echo "		remote_addrs = $_sw_raddr"
		echo "		proposals = $_sw_ikep"
		echo "		rekey_time = ${SW_IKE_REKEY:-4h}"
		echo "		reauth_time = 0s"
		echo "		send_certreq = no"
		if [ -n "$_sw_dpd" ]; then
			echo "		dpd_delay = ${_sw_dpd}s"
			echo "		dpd_timeout = $((_sw_dpd * 5))s"
		fi
		echo "		local {"
		echo "			auth = psk"
		echo "			id = $_sw_laddr"
		echo "		}"
		echo "		remote {"
		echo "			auth = psk"
		echo "			id = $_sw_raddr"
		echo "		}"
		echo "		children {"
		echo "			net {"
		echo "				local_ts = $_sw_lts"
		echo "				remote_ts = $_sw_rts"
		echo "				esp_proposals = $_sw_espp"
		echo "				mode = tunnel"
		echo "				rekey_time = ${SW_CHILD_REKEY:-1h}"
		echo "				start_action = $_sw_start"
		if [ -n "$_sw_dpd" ]; then
			echo "				dpd_action = clear"
		fi
		echo "			}"
		echo "		}"
		echo "	}"
		echo "}"
		echo "secrets {"
		echo "	ike-$_sw_name {"
		echo "		id-1 = $_sw_laddr"
		echo "		id-2 = $_sw_raddr"
		echo "		secret = 0x$_sw_hex"
		echo "	}"
		echo "}"
	} >"$_sw_file"
}
