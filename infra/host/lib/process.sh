# shellcheck shell=bash
# The process runtime: the bundled sample agent (sample-agent/server.mjs) run as a background
# process, for machines without Docker. Each agent has a directory <state>/<username>/ holding:
#   pid        the agent's process id (written here, on start)
#   port       the port it listens on (written by the agent once it listens; it picks a free one)
#   agent-id   the portal's agent id
#   memory-mb  the memory limit (node heap), kept for restarts
#   since      when it last started or stopped (ISO-8601 UTC)
#   env        the agent's environment variables (mode 0600), when it has any: what its every start
#              exports, as a container's config keeps them for docker (lib/agent-env.sh)
#   agent.log  its output, one "<time> <line>" per line (lib/log-writer.sh), moved to agent.log.1
#              past AGENT_LOG_MAX_BYTES (1 MiB)
#   data/      its data (the docker runtime's volume)

readonly PROCESS_STOP_TIMEOUT_S="${AGENT_STOP_TIMEOUT_S:-20}"

process_state_root() {
  printf '%s' "${AGENT_STATE_DIR:-${HOME}/.pocket-smyth/agents}"
}

process_agent_dir() {
  printf '%s/%s' "$(process_state_root)" "$1"
}

# The pid in <dir>/pid when that process is alive and is this username's agent (not a recycled pid).
process_live_pid() {
  local dir=$1 username=$2 pid args
  read_line_into pid "${dir}/pid"
  [[ $pid =~ ^[1-9][0-9]*$ ]] || return 1
  args=$(ps -ww -o args= -p "$pid" 2>/dev/null) || return 1
  [[ " ${args} " == *" --agent ${username} "* ]] || return 1
  printf '%s' "$pid"
}

process_read_port() {
  local port
  read_line_into port "${1}/port"
  [[ $port =~ ^[1-9][0-9]*$ ]] && printf '%s' "$port"
  return 0
}

# process_start <dir> <username>: starts the agent and waits until it reports its port.
process_start() {
  local dir=$1 username=$2 memory_mb pid waited=0
  read_line_into memory_mb "${dir}/memory-mb"
  rm -f "${dir}/pid" "${dir}/port"
  local agent_command=()
  # A session of its own: the agent outlives this script and the SSH channel that ran it.
  command -v setsid >/dev/null 2>&1 && agent_command=(setsid)
  # Built before the agent's variables are exported, which could name HOST_DIR.
  agent_command+=("${AGENT_NODE:-node}" "--max-old-space-size=${memory_mb}" \
    "${HOST_DIR}/sample-agent/server.mjs" --agent "$username" --dir "$dir")
  # fd 9 is the agent lock; the agent must not inherit it or the lock would live as long as the agent.
  # Its output goes through the log writer (timestamps, rotation), which ends when the agent closes
  # its side. The writer's own stdout is not ours: holding this script's stdout open would keep the
  # caller waiting for as long as the agent lives. It gets a session of its own too, like the agent.
  local log_max=${AGENT_LOG_MAX_BYTES:-1048576}
  require_match AGENT_LOG_MAX_BYTES "$log_max" '^[1-9][0-9]{2,10}$'
  local writer=()
  command -v setsid >/dev/null 2>&1 && writer=(setsid)
  # The variables are exported in a subshell that then becomes the agent (exec): builtins only, so no
  # value is ever an argument of a process.
  (
    if [[ -f "${dir}/env" ]]; then
      while IFS= read -r line || [[ -n $line ]]; do
        # A name this script holds read-only cannot be the agent's: said in its log, without the value.
        export "${line%%=*}=${line#*=}" 2>/dev/null || printf 'skipped %s: reserved here\n' "${line%%=*}" >&2
      done <"${dir}/env"
    fi
    exec "${agent_command[@]}"
  ) </dev/null > >(exec "${writer[@]}" bash "${HOST_DIR}/lib/log-writer.sh" "${dir}/agent.log" "$log_max" \
    >/dev/null 2>&1 9>&-) 2>&1 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"${dir}/pid"
  local limit=$((${AGENT_START_TIMEOUT_S:-15} * 20))
  until [[ -s "${dir}/port" ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      fail runtime_failed "$EXIT_RUNTIME_FAILED" true \
        "agent ${username} exited on start: $(tail -n 5 "${dir}/agent.log" 2>/dev/null || true)"
    fi
    if ((waited >= limit)); then
      kill -KILL "$pid" 2>/dev/null || true
      fail runtime_failed "$EXIT_RUNTIME_FAILED" true "agent ${username} did not listen within ${AGENT_START_TIMEOUT_S:-15}s"
    fi
    sleep 0.05
    waited=$((waited + 1))
  done
  now_iso >"${dir}/since"
}

# process_kill <dir> <username>: TERM, then KILL after the stop timeout.
process_kill() {
  local dir=$1 username=$2 pid waited=0
  pid=$(process_live_pid "$dir" "$username") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local limit=$((PROCESS_STOP_TIMEOUT_S * 20))
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= limit)); then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.05
    waited=$((waited + 1))
  done
  rm -f "${dir}/pid" "${dir}/port"
  now_iso >"${dir}/since"
}

# process_provision <username> <agent-id> <cpus> <memory-mb> <image> <domain> <forward-auth-url>
# cpus, image, domain and the forward-auth URL do not apply to a plain process; the portal's own
# /agent proxy does routing and auth in this mode. The memory is node's heap limit, not a limit of the
# process as a whole (docs/ARCHITECTURE.md, "Plans and quotas").
process_provision() {
  local username=$1 agent_id=$2 memory_mb=$4 dir previous_memory_mb
  dir=$(process_agent_dir "$username")
  mkdir -p "${dir}/data"
  printf '%s\n' "$agent_id" >"${dir}/agent-id"
  read_line_into previous_memory_mb "${dir}/memory-mb"
  printf '%s\n' "$memory_mb" >"${dir}/memory-mb"
  local changed=false
  process_keep_env "$dir" && changed=true
  [[ $previous_memory_mb == "$memory_mb" ]] || changed=true
  if process_live_pid "$dir" "$username" >/dev/null; then
    if [[ $changed == false ]]; then
      emit_agent_result provision "$username" false running "$(process_read_port "$dir")"
      return 0
    fi
    # New variables, or a new heap limit, reach a process only through a new start.
    process_kill "$dir" "$username"
  fi
  process_start "$dir" "$username"
  emit_agent_result provision "$username" true running "$(process_read_port "$dir")"
}

# process_keep_env <dir>: makes <dir>/env what this call received (AGENT_ENV_FILE, or none); true when
# that changed it. Compared and written with builtins (read, printf): no value in any process's argv.
process_keep_env() {
  local dir=$1 wanted='' current=''
  [[ -n $AGENT_ENV_FILE ]] && { IFS= read -r -d '' wanted <"$AGENT_ENV_FILE" || true; }
  [[ -f "${dir}/env" ]] && { IFS= read -r -d '' current <"${dir}/env" || true; }
  [[ $wanted == "$current" && ( -n $wanted || ! -e "${dir}/env" ) ]] && return 1
  if [[ -z $wanted ]]; then
    rm -f -- "${dir}/env"
  else
    (umask 077 && printf '%s' "$wanted" >"${dir}/env.new")
    mv -f -- "${dir}/env.new" "${dir}/env"
  fi
  return 0
}

process_stop() {
  local username=$1 dir
  dir=$(process_agent_dir "$username")
  if [[ ! -d $dir ]]; then
    emit_agent_result stop "$username" false absent
  elif process_live_pid "$dir" "$username" >/dev/null; then
    process_kill "$dir" "$username"
    emit_agent_result stop "$username" true stopped
  else
    emit_agent_result stop "$username" false stopped
  fi
}

process_restart() {
  local username=$1 dir
  dir=$(process_agent_dir "$username")
  if [[ ! -f "${dir}/memory-mb" ]]; then
    fail not_provisioned "$EXIT_NOT_PROVISIONED" false "agent ${username} has not been provisioned"
  fi
  process_kill "$dir" "$username"
  process_start "$dir" "$username"
  emit_agent_result restart "$username" true running "$(process_read_port "$dir")"
}

process_deprovision() {
  local username=$1 dir
  dir=$(process_agent_dir "$username")
  if [[ ! -d $dir ]]; then
    emit_agent_result deprovision "$username" false absent
    return 0
  fi
  process_kill "$dir" "$username"
  rm -rf -- "$dir"
  emit_agent_result deprovision "$username" true absent
}

# process_status [<username>...]: every agent directory read with shell builtins, then ONE ps call
# for all their pids. cpuPercent is ps's %cpu: CPU time over the process's lifetime.
process_status() {
  local root dir username pid port agent_id since
  root=$(process_state_root)
  local records=() pids=()
  # Named agents only, when named (a health check asks for one): the others' records are not read.
  local dirs=()
  if (($# > 0)); then
    for username in "$@"; do dirs+=("${root}/${username}/"); done
  else
    dirs=("$root"/*/)
  fi
  if [[ -d $root ]]; then
    for dir in "${dirs[@]}"; do
      [[ -d $dir ]] || continue
      dir=${dir%/}
      username=${dir##*/}
      # Only directories that provision made: a stray folder is not an agent.
      if ! is_valid_username "$username" || [[ ! -f "${dir}/memory-mb" ]]; then
        continue
      fi
      read_line_into pid "${dir}/pid"
      read_line_into port "${dir}/port"
      read_line_into agent_id "${dir}/agent-id"
      read_line_into since "${dir}/since"
      [[ $pid =~ ^[1-9][0-9]*$ ]] && pids+=("$pid")
      records+=("${username}"$'\t'"${pid}"$'\t'"${port}"$'\t'"${agent_id}"$'\t'"${since}")
    done
  fi

  local ps_out=''
  if ((${#pids[@]} > 0)); then
    local pid_list
    pid_list=$(IFS=,; printf '%s' "${pids[*]}")
    # ps exits 1 when none of the pids is alive; that is an answer, not a failure.
    ps_out=$(ps -ww -o pid=,pcpu=,rss=,args= -p "$pid_list" 2>/dev/null) || true
  fi

  {
    printf '%s\n' '#agents'
    ((${#records[@]} > 0)) && printf '%s\n' "${records[@]}"
    printf '%s\n' '#ps'
    [[ -n $ps_out ]] && printf '%s\n' "$ps_out"
    printf '%s\n' '#wanted'
    (($# > 0)) && printf '%s\n' "$@"
    true
  } | awk -F '\t' -f "$HOST_DIR/lib/json.awk" -f "$HOST_DIR/lib/process-status.awk"
}

# process_logs <username> <tail> <since>: the last lines of agent.log.1 and agent.log, in that order.
process_logs() {
  local username=$1 tail=$2 since=$3 dir
  dir=$(process_agent_dir "$username")
  [[ -f "${dir}/memory-mb" ]] || fail not_provisioned "$EXIT_NOT_PROVISIONED" false "agent ${username} has not been provisioned"
  local files=()
  [[ -f "${dir}/agent.log.1" ]] && files+=("${dir}/agent.log.1")
  [[ -f "${dir}/agent.log" ]] && files+=("${dir}/agent.log")
  ((${#files[@]} > 0)) || files=(/dev/null)
  awk -v tail="$tail" -v since="$since" -v runtime=process -v username="$username" \
    -f "$HOST_DIR/lib/json.awk" -f "$HOST_DIR/lib/log-lines.awk" "${files[@]}"
}

# process_export_data <username>: a tar of <state>/<username>/data (one top entry, data/) to fd 3.
process_export_data() {
  local username=$1 dir
  dir=$(process_agent_dir "$username")
  [[ -f "${dir}/memory-mb" ]] || fail not_provisioned "$EXIT_NOT_PROVISIONED" false "agent ${username} has not been provisioned here"
  if process_live_pid "$dir" "$username" >/dev/null; then
    fail agent_running "$EXIT_AGENT_RUNNING" false "agent ${username} is running; stop it first"
  fi
  [[ -d "${dir}/data" ]] || mkdir -p "${dir}/data"
  tar -C "$dir" -cf - data >&3 || fail runtime_failed "$EXIT_RUNTIME_FAILED" true "tar of ${dir}/data failed"
}

# process_import_data <username> <archive>: unpacks beside the data and swaps it in, so a failed unpack
# leaves the previous data as it was. GNU tar refuses members outside the directory (`..`, absolute).
process_import_data() {
  local username=$1 archive=$2 dir staging
  dir=$(process_agent_dir "$username")
  mkdir -p "$dir"
  process_kill "$dir" "$username"
  staging="${dir}/.import"
  rm -rf -- "$staging"
  mkdir -p "$staging"
  if ! tar -C "$staging" --no-same-owner -xf "$archive"; then
    rm -rf -- "$staging"
    fail invalid_archive "$EXIT_INVALID_ARCHIVE" false "the data is not a tar archive tar can unpack"
  fi
  if [[ ! -d "${staging}/data" ]]; then
    rm -rf -- "$staging"
    fail invalid_archive "$EXIT_INVALID_ARCHIVE" false "the archive holds no data/ directory"
  fi
  rm -rf -- "${dir}/data"
  mv -- "${staging}/data" "${dir}/data"
  rm -rf -- "$staging"
}
