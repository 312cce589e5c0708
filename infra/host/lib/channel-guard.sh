#!/usr/bin/env bash
# channel-guard.sh <script> [<arg>...]
# How the ssh transport runs a host script: it starts <script> with the arguments as they are and
# stops it (TERM to its whole process group) as soon as standard input reaches end-of-file. The
# transport keeps the SSH channel's stdin open while it waits, so EOF means the caller aborted,
# timed out or lost the connection; SSH "signal" requests would be the direct way, but OpenSSH
# ignores them in many setups. Agents started by the process runtime run in a session of their own
# (setsid) and are not touched.
set -uo pipefail
HOST_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
script=$1
shift

# Job control gives the background script its own process group, so one kill reaches all of it.
set -m
bash "${HOST_DIR}/${script}" "$@" </dev/null &
child=$!
set +m

# Without job control a background job's stdin is /dev/null unless redirected: hand it ours.
exec 3<&0
{
  while IFS= read -r _ <&3; do :; done
  kill -TERM -- "-${child}" 2>/dev/null
} &
watcher=$!
exec 3<&-

wait "$child"
status=$?
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
exit "$status"
