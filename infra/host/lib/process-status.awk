# Joins agent directory records ("#agents": username, pid, port, agent-id, since; tab-separated)
# with one `ps -o pid=,pcpu=,rss=,args=` listing ("#ps") into the status JSON object. Needs json.awk.

BEGIN { section = ""; n = 0; wn = 0 }
/^#agents$/ { section = "agents"; next }
/^#ps$/ { section = "ps"; next }
/^#wanted$/ { section = "wanted"; next }

section == "agents" && NF >= 1 {
  n++
  user[n] = $1; pid[n] = $2; port[n] = $3; agent[n] = $4; since[n] = $5
  next
}
section == "ps" {
  count = split($0, f, " ")
  if (count < 4) next
  args = f[4]
  for (k = 5; k <= count; k++) args = args " " f[k]
  ps_cpu[f[1]] = f[2] + 0
  ps_rss[f[1]] = f[3] * 1024
  ps_args[f[1]] = " " args " "
  next
}
section == "wanted" && $0 != "" { wn++; wanted[wn] = $0; is_wanted[$0] = 1; next }

END {
  printf "{\"ok\":true,\"runtime\":\"process\",\"agents\":["
  sep = ""
  for (i = 1; i <= n; i++) {
    if (wn > 0 && !(user[i] in is_wanted)) continue
    seen[user[i]] = 1
    p = pid[i]
    # Alive and ours: the pid is listed and its command line names this agent (pids get recycled).
    running = p != "" && (p in ps_args) && index(ps_args[p], " --agent " user[i] " ") > 0
    printf "%s{\"username\":%s,\"agentId\":%s,\"state\":\"%s\",\"detail\":\"%s\",\"cpuPercent\":%.2f,\"memoryBytes\":%.0f,\"since\":%s,\"port\":%s}", \
      sep, json_str(user[i]), json_str_or_null(agent[i]), running ? "running" : "stopped", \
      running ? "running" : "exited", running ? ps_cpu[p] : 0, running ? ps_rss[p] : 0, \
      json_str_or_null(since[i]), running ? json_num_or_null(port[i]) : "null"
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
