# Joins `docker inspect` lines (id, username, agent id, state, started, finished, OOM-killed, restarts,
# agent label) and `docker stats` lines (tab-separated, in sections "#inspect", "#stats",
# "#wanted") into the status JSON object. Needs json.awk.

BEGIN { section = ""; n = 0; wn = 0 }
/^#inspect$/ { section = "inspect"; next }
/^#stats$/ { section = "stats"; next }
/^#wanted$/ { section = "wanted"; next }

section == "inspect" && NF >= 4 {
  # Only containers that carry pocket-smyth.agent=true (the ninth field): one inspected by name might not.
  if (NF >= 9 && $9 != "true") next
  n++
  id[n] = $1; user[n] = $2; agent[n] = $3; status[n] = $4; started[n] = $5; finished[n] = $6
  oom[n] = $7 == "true"; restarts[n] = $8 + 0
  next
}
section == "stats" && NF >= 3 { cpu[$1] = percent($2); mem[$1] = bytes($3); next }
section == "wanted" && $0 != "" { wn++; wanted[wn] = $0; is_wanted[$0] = 1; next }

# "12.34%" -> 12.34; docker prints "--" while it has no sample yet.
function percent(s) {
  sub(/%$/, "", s)
  return s ~ /^[0-9.]+$/ ? s + 0 : 0
}

# The used part of "12.5MiB / 1GiB" in bytes.
function bytes(s,    value, unit) {
  sub(/ .*/, "", s)
  if (!match(s, /^[0-9.]+/)) return 0
  value = substr(s, 1, RLENGTH) + 0
  unit = substr(s, RLENGTH + 1)
  if (unit == "KiB") return value * 1024
  if (unit == "MiB") return value * 1048576
  if (unit == "GiB") return value * 1073741824
  if (unit == "TiB") return value * 1099511627776
  if (unit == "kB" || unit == "KB") return value * 1000
  if (unit == "MB") return value * 1000000
  if (unit == "GB") return value * 1000000000
  if (unit == "TB") return value * 1000000000000
  return value
}

# Docker's word for the state, with what a person needs to know about it in words: whether the kernel
# killed the agent for going over its memory limit the last time it stopped (State.OOMKilled, kept
# while the restart policy brings it back) and how often the restart policy has restarted it, e.g.
# "restarting (out of memory; 3 restarts)", "running (last exit: out of memory; 1 restart)".
function detail_of(i,    note) {
  note = ""
  if (oom[i]) note = status[i] == "running" ? "last exit: out of memory" : "out of memory"
  if (restarts[i] > 0) note = note (note == "" ? "" : "; ") restarts[i] (restarts[i] == 1 ? " restart" : " restarts")
  return note == "" ? status[i] : status[i] " (" note ")"
}

END {
  printf "{\"ok\":true,\"runtime\":\"docker\",\"agents\":["
  sep = ""
  for (i = 1; i <= n; i++) {
    if (wn > 0 && !(user[i] in is_wanted)) continue
    seen[user[i]] = 1
    running = status[i] == "running"
    since = running ? started[i] : finished[i]
    # Docker's zero time means "never": a container created but never started.
    if (since ~ /^0001-/) since = ""
    printf "%s{\"username\":%s,\"agentId\":%s,\"state\":\"%s\",\"detail\":%s,\"cpuPercent\":%.2f,\"memoryBytes\":%.0f,\"since\":%s,\"port\":null}", \
      sep, json_str(user[i]), json_str_or_null(agent[i]), running ? "running" : "stopped", json_str(detail_of(i)), \
      running ? cpu[id[i]] + 0 : 0, running ? mem[id[i]] + 0 : 0, json_str_or_null(since)
    sep = ","
  }
  for (j = 1; j <= wn; j++) {
    if (wanted[j] in seen) continue
    seen[wanted[j]] = 1
    printf "%s{\"username\":%s,\"agentId\":null,\"state\":\"absent\",\"detail\":\"absent\",\"cpuPercent\":0,\"memoryBytes\":0,\"since\":null,\"port\":null}", \
      sep, json_str(wanted[j])
    sep = ","
  }
  print "]}"
}
