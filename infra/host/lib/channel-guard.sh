#!/usr/bin/env bash
# channel-guard.sh [--stdin-bytes <n>] <script> [<arg>...]
# How the ssh transport runs a host script: it starts <script> with the arguments as they are and
# stops it (TERM to its whole process group) as soon as standard input reaches end-of-file. The
# transport keeps the SSH channel's stdin open while it waits, so EOF means the caller aborted,
# timed out or lost the connection; SSH "signal" requests would be the direct way, but OpenSSH
# ignores them in many setups. Agents started by the process runtime run in a session of their own
# (setsid) and are not touched.
# With --stdin-bytes <n>, the first <n> bytes of standard input are the script's own standard input
# (an agent's environment file for provision: data, never arguments); what follows is the stop signal
# as above. The bytes are read into memory and handed over through a pipe, never written to disk here.
set -uo pipefail
HOST_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
input_bytes=''
if [[ ${1:-} == --stdin-bytes ]]; then
  input_bytes=${2:-}
  [[ $input_bytes =~ ^[1-9][0-9]{0,6}$ ]] || { echo "channel-guard: bad --stdin-bytes" >&2; exit 64; }
  shift 2
fi
script=$1
shift

# Job control gives the background script its own process group, so one kill reaches all of it.
set -m
if [[ -n $input_bytes ]]; then
  # Bytes, not characters: the C locale makes read -N count bytes.
  LC_ALL=C IFS= read -r -d '' -N "$input_bytes" script_input || true
  bash "${HOST_DIR}/${script}" "$@" < <(printf '%s' "$script_input") &
  child=$!
  unset script_input
else
  bash "${HOST_DIR}/${script}" "$@" </dev/null &
  child=$!
fi
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
