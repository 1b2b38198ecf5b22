#!/bin/sh
# run.sh -- every benchmark of vpnsh; each prints its own figures.
set -eu
vpnsh=${1:-build/vpnsh}
dir=$(dirname "$0")
sh "$dir/paste.sh" "$vpnsh"
sh "$dir/esp.sh" "$vpnsh"
