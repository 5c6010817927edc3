#!/usr/bin/env bash
# Run a command in a fresh network namespace with only loopback up, so that
# anything it advertises or scans (mDNS, UDP beacons) never leaves the machine.
# Needs root or unprivileged user namespaces; otherwise the command runs as is
# and the tests that advertise skip themselves.
set -euo pipefail
if [ "${LOUDSYNC_IN_PRIVATE_NET:-}" = 1 ]; then exec "$@"; fi
export LOUDSYNC_IN_PRIVATE_NET=1
inner='ip link set lo up || echo "note: could not bring loopback up (is iproute2 installed?)" >&2; exec "$@"'
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
  exec unshare --net sh -c "$inner" sh "$@"
elif unshare --user --map-root-user --net true 2>/dev/null; then
  exec unshare --user --map-root-user --net sh -c "$inner" sh "$@"
fi
echo "note: cannot make a private network namespace here; tests that advertise will skip." >&2
unset LOUDSYNC_IN_PRIVATE_NET
exec "$@"
