#!/usr/bin/env bash
# log-writer.sh <file> <max-bytes>
# The process runtime's log: reads the agent's output on stdin and appends each line to <file> as
# "<RFC 3339 UTC time with microseconds> <line>", moving <file> to <file>.1 (one older file kept) once it
# holds more than <max-bytes>. It runs beside the agent for as long as the agent writes, with builtins
# only per line (EPOCHREALTIME, printf's time format), so a chatty agent costs no forks.
set -uo pipefail
export LC_ALL=C TZ=UTC
file=$1 max=$2
size=0
if [[ -f $file ]]; then
  read -r size _ < <(wc -c <"$file") || size=0
fi
exec 3>>"$file"
while IFS= read -r line || [[ -n $line ]]; do
  now=$EPOCHREALTIME
  printf -v at '%(%Y-%m-%dT%H:%M:%S)T' "${now%.*}"
  printf -v entry '%s.%sZ %s\n' "$at" "${now#*.}" "$line"
  printf '%s' "$entry" >&3
  size=$((size + ${#entry}))
  if ((size > max)); then
    exec 3>&-
    mv -f -- "$file" "${file}.1"
    exec 3>>"$file"
    size=0
  fi
done
