# shellcheck shell=bash
# The docker runtime: one container `ps-agent-<username>` with a named volume, resource limits,
# a restart policy and Traefik labels routing `<username>.<domain>/agent` through the portal's
# forward-auth. Every container we own carries the label pocket-smyth.agent=true.

readonly DOCKER_AGENT_LABEL='pocket-smyth.agent=true'
readonly DOCKER_STOP_TIMEOUT_S="${AGENT_STOP_TIMEOUT_S:-20}"

docker_settings() {
  DOCKER_NETWORK="${AGENT_DOCKER_NETWORK:-pocket-smyth}"
  DOCKER_DATA_PATH="${AGENT_DATA_PATH:-/a0/usr}"
  DOCKER_CONTAINER_PORT="${AGENT_CONTAINER_PORT:-80}"
  DOCKER_PIDS_LIMIT="${AGENT_PIDS_LIMIT:-1024}"
  DOCKER_ENTRYPOINTS="${AGENT_TRAEFIK_ENTRYPOINTS:-websecure}"
  DOCKER_CERT_RESOLVER="${AGENT_TRAEFIK_CERT_RESOLVER:-}"
  require_match AGENT_DOCKER_NETWORK "$DOCKER_NETWORK" '^[A-Za-z0-9][A-Za-z0-9_.-]*$'
  require_match AGENT_DATA_PATH "$DOCKER_DATA_PATH" '^/[A-Za-z0-9_./-]*$'
  require_match AGENT_CONTAINER_PORT "$DOCKER_CONTAINER_PORT" '^[1-9][0-9]{0,4}$'
  require_match AGENT_PIDS_LIMIT "$DOCKER_PIDS_LIMIT" '^[1-9][0-9]*$'
  require_match AGENT_TRAEFIK_ENTRYPOINTS "$DOCKER_ENTRYPOINTS" '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$'
  require_match AGENT_TRAEFIK_CERT_RESOLVER "$DOCKER_CERT_RESOLVER" '^[A-Za-z0-9_-]*$'
}

# docker_names <username>: sets DOCKER_NAME and DOCKER_VOLUME (variables, not $(...): no fork).
docker_names() {
  DOCKER_NAME="ps-agent-${1}"
  DOCKER_VOLUME="ps-agent-${1}-data"
}

# docker_quiet <args...>: runs docker with its output captured; on failure exits with
# runtime_failed and docker's last lines, so stdout keeps its single JSON object.
docker_quiet() {
  local out
  if ! out=$(docker "$@" 2>&1); then
    out=$(printf '%s\n' "$out" | tail -n 5)
    # A limit this host can never grant is no passing trouble: retrying would fail the same way for
    # an hour and a half. The daemon says "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs
    # available" when <cpus> exceeds the host's.
    if [[ $out == *'Range of CPUs is from'* ]]; then
      fail invalid_argument "$EXIT_INVALID_ARGUMENT" false "cpus is more than this host has: docker $1 failed: $out"
    fi
    fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker $1 failed: $out"
  fi
}

# Sets CONTAINER_STATUS (docker's State.Status, or "absent") and CONTAINER_CONFIG (the
# pocket-smyth.config label) of a container. Sets globals rather than printing, because fail()
# inside a command substitution would only leave the subshell.
docker_container_facts() {
  local name=$1 out
  CONTAINER_STATUS=absent
  CONTAINER_CONFIG=''
  if out=$(docker inspect --type container \
    --format '{{.State.Status}}'$'\t''{{index .Config.Labels "pocket-smyth.config"}}' "$name" 2>&1); then
    CONTAINER_STATUS=${out%%$'\t'*}
    CONTAINER_CONFIG=${out#*$'\t'}
  elif [[ $out != *"No such"* ]]; then
    fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker inspect failed: $(printf '%s\n' "$out" | tail -n 5)"
  fi
}

docker_ensure_network() {
  docker network inspect "$DOCKER_NETWORK" >/dev/null 2>&1 && return 0
  # Docker does not keep network names unique when two creates race (each looks, finds nothing, and
  # creates), and every `--network <name>` after that fails as "ambiguous". So looking and creating is
  # one critical section on the host, on descriptor 8 (9 holds the agent's own lock), released at once.
  host_lock 8 _docker-network "another provision is still creating network ${DOCKER_NETWORK}"
  local out
  if ! out=$(docker network inspect --format '{{.Id}}' "$DOCKER_NETWORK" 2>&1); then
    if [[ $out == *ambiguous* ]]; then
      docker_merge_networks
    else
      docker_quiet network create --label "$DOCKER_AGENT_LABEL" "$DOCKER_NETWORK"
    fi
  fi
  exec 8>&-
}

# The network made twice by an earlier race (before the lock above): the copies nothing is attached to
# are removed. A name still ambiguous after that needs the operator, and the message says what to do.
docker_merge_networks() {
  local ids id attached kept=0 out
  ids=$(docker network ls --quiet --no-trunc --filter "name=^${DOCKER_NETWORK}\$" 2>&1) ||
    fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker network ls failed: ${ids}"
  local -a empty=()
  for id in $ids; do
    out=$(docker network inspect --format '{{.Name}}'$'\t''{{len .Containers}}' "$id" 2>&1) ||
      fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker network inspect failed: ${out}"
    # The filter is a pattern ("." matches any character): only the exact name counts.
    [[ ${out%%$'\t'*} == "$DOCKER_NETWORK" ]] || continue
    attached=${out#*$'\t'}
    if [[ $attached == 0 ]]; then empty+=("$id"); else kept=$((kept + 1)); fi
  done
  # With no copy in use, the first stays.
  ((kept == 0)) && empty=("${empty[@]:1}")
  for id in "${empty[@]}"; do
    out=$(docker network rm "$id" 2>&1) ||
      fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker network rm failed: ${out}"
  done
  if ((kept > 1)); then
    fail runtime_failed "$EXIT_RUNTIME_FAILED" false \
      "network ${DOCKER_NETWORK} exists ${kept} times with containers on each; move them to one (docker network ls)"
  fi
}

# docker_provision <username> <agent-id> <cpus> <memory-mb> <image> <domain> <forward-auth-url>
docker_provision() {
  local username=$1 agent_id=$2 cpus=$3 memory_mb=$4 image=$5 domain=$6 auth_url=$7
  docker_settings
  local name volume config settings
  docker_names "$username"
  name=$DOCKER_NAME volume=$DOCKER_VOLUME
  # A digest of everything that shapes the container: when it changes, the container is recreated
  # (the volume, and so the agent's data, is kept). The bytes hashed are one line per setting, as
  # they always were (the here-string adds the last newline back), so existing containers keep theirs;
  # one process (sha256sum) rather than a pipeline of four.
  printf -v settings '%s\n' "$image" "$cpus" "$memory_mb" "$domain" "$auth_url" "$DOCKER_NETWORK" \
    "$DOCKER_DATA_PATH" "$DOCKER_CONTAINER_PORT" "$DOCKER_PIDS_LIMIT" "$DOCKER_ENTRYPOINTS" \
    "$DOCKER_CERT_RESOLVER"
  # The environment counts by its digest (never its values), and only when there is one: a container
  # of an agent without variables keeps the digest it always had.
  [[ -n $AGENT_ENV_DIGEST ]] && settings+="env:${AGENT_ENV_DIGEST}"$'\n'
  config=$(sha256sum <<<"${settings%$'\n'}")
  config=${config:0:16}

  docker_container_facts "$name"
  if [[ $CONTAINER_STATUS != absent ]]; then
    if [[ $CONTAINER_CONFIG == "$config" ]]; then
      if [[ $CONTAINER_STATUS == running ]]; then
        emit_agent_result provision "$username" false running
      else
        docker_quiet start "$name"
        docker_emit_started "$username" "$name"
      fi
      return 0
    fi
    docker_quiet rm -f "$name"
  fi

  docker_ensure_network

  local router="$name"
  local labels=(
    --label "$DOCKER_AGENT_LABEL"
    --label "pocket-smyth.username=${username}"
    --label "pocket-smyth.agent-id=${agent_id}"
    --label "pocket-smyth.config=${config}"
    --label "traefik.enable=true"
    --label "traefik.docker.network=${DOCKER_NETWORK}"
    --label "traefik.http.routers.${router}.rule=Host(\`${username}.${domain}\`) && PathPrefix(\`/agent\`)"
    --label "traefik.http.routers.${router}.entrypoints=${DOCKER_ENTRYPOINTS}"
    --label "traefik.http.routers.${router}.middlewares=${router}-auth,${router}-strip"
    --label "traefik.http.routers.${router}.service=${router}"
    --label "traefik.http.middlewares.${router}-auth.forwardauth.address=${auth_url}"
    --label "traefik.http.middlewares.${router}-auth.forwardauth.trustForwardHeader=false"
    # Forward-auth answers with the request's cookies minus the portal's (authjs.*); Traefik replaces
    # the Cookie header with that, so no portal credential reaches the agent (docs/ARCHITECTURE.md,
    # "Hostnames").
    --label "traefik.http.middlewares.${router}-auth.forwardauth.authResponseHeaders=Cookie,X-Auth-User"
    --label "traefik.http.middlewares.${router}-strip.stripprefix.prefixes=/agent"
    --label "traefik.http.services.${router}.loadbalancer.server.port=${DOCKER_CONTAINER_PORT}"
  )
  if [[ -n $DOCKER_CERT_RESOLVER ]]; then
    labels+=(
      --label "traefik.http.routers.${router}.tls=true"
      --label "traefik.http.routers.${router}.tls.certresolver=${DOCKER_CERT_RESOLVER}"
    )
  fi

  # The volume is made by the run itself when it is missing, with our labels (volume-label), rather than
  # by a `docker volume create` of its own: one docker call fewer per agent. An existing volume (a
  # recreated container) is mounted as it is, as `volume create` would have left it.
  # The docker CLI reads the env file itself: the values never appear in its arguments.
  local env_file=()
  [[ -n $AGENT_ENV_FILE ]] && env_file=(--env-file "$AGENT_ENV_FILE")
  docker_quiet run --detach \
    --name "$name" \
    "${env_file[@]}" \
    --hostname "$name" \
    --restart unless-stopped \
    --cpus "$cpus" \
    --memory "${memory_mb}m" \
    --memory-swap "${memory_mb}m" \
    --pids-limit "$DOCKER_PIDS_LIMIT" \
    --network "$DOCKER_NETWORK" \
    --mount "type=volume,source=${volume},target=${DOCKER_DATA_PATH},volume-label=${DOCKER_AGENT_LABEL},volume-label=pocket-smyth.username=${username}" \
    "${labels[@]}" \
    "$image"
  docker_emit_started "$username" "$name"
}

# docker_emit_started <username> <container>: the provision result after a start, with the state the
# daemon reports now rather than the one we hoped for. The job's health step takes "running" from here
# instead of running `status` (a script, and a ps, an inspect and a stats) straight after; anything
# else and it polls `status` as before.
docker_emit_started() {
  local username=$1 name=$2
  docker_container_facts "$name"
  if [[ $CONTAINER_STATUS == running ]]; then
    emit_agent_result provision "$username" true running
  elif [[ $CONTAINER_STATUS == absent ]]; then
    emit_agent_result provision "$username" true absent
  else
    emit_agent_result provision "$username" true stopped
  fi
}

docker_stop() {
  local username=$1 name
  docker_names "$username"
  name=$DOCKER_NAME
  docker_container_facts "$name"
  if [[ $CONTAINER_STATUS == absent ]]; then
    emit_agent_result stop "$username" false absent
  elif [[ $CONTAINER_STATUS == exited || $CONTAINER_STATUS == created ]]; then
    emit_agent_result stop "$username" false stopped
  else
    docker_quiet stop --time "$DOCKER_STOP_TIMEOUT_S" "$name"
    emit_agent_result stop "$username" true stopped
  fi
}

docker_restart() {
  local username=$1 name
  docker_names "$username"
  name=$DOCKER_NAME
  docker_container_facts "$name"
  if [[ $CONTAINER_STATUS == absent ]]; then
    fail not_provisioned "$EXIT_NOT_PROVISIONED" false "agent ${username} has no container to restart"
  fi
  docker_quiet restart --time "$DOCKER_STOP_TIMEOUT_S" "$name"
  emit_agent_result restart "$username" true running
}

docker_deprovision() {
  local username=$1 name volume changed=false
  docker_names "$username"
  name=$DOCKER_NAME volume=$DOCKER_VOLUME
  docker_container_facts "$name"
  if [[ $CONTAINER_STATUS != absent ]]; then
    docker_quiet rm --force --volumes "$name"
    changed=true
  fi
  if docker volume inspect "$volume" >/dev/null 2>&1; then
    docker_quiet volume rm --force "$volume"
    changed=true
  fi
  emit_agent_result deprovision "$username" "$changed" absent
}

# docker_status [<username>...]: every agent container on this host from three docker calls in
# total (ps, inspect, stats), however many agents there are. With usernames, no ps: their containers
# are inspected by name (a health check asks for one agent, and must cost neither a listing nor an
# inspect and a stats of every container on the host).
docker_status() {
  local ids inspect_out='' stats_out='' username
  local id_list=()
  if (($# > 0)); then
    for username in "$@"; do
      docker_names "$username"
      id_list+=("$DOCKER_NAME")
    done
  else
    if ! ids=$(docker ps --all --quiet --no-trunc --filter "label=${DOCKER_AGENT_LABEL}" 2>&1); then
      fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker ps failed: $(printf '%s\n' "$ids" | tail -n 5)"
    fi
    [[ -n $ids ]] && mapfile -t id_list <<<"$ids"
  fi

  if ((${#id_list[@]} > 0)); then
    local tab=$'\t'
    local format="{{.Id}}${tab}{{index .Config.Labels \"pocket-smyth.username\"}}${tab}"
    format+="{{index .Config.Labels \"pocket-smyth.agent-id\"}}${tab}{{.State.Status}}${tab}"
    format+="{{.State.StartedAt}}${tab}{{.State.FinishedAt}}${tab}{{.State.OOMKilled}}${tab}{{.RestartCount}}"
    format+="${tab}{{index .Config.Labels \"pocket-smyth.agent\"}}"
    # A container removed between ps and inspect, or a named agent that has none, makes inspect exit
    # 1 while still printing the others; that is an answer ("absent"). Any other complaint (the daemon
    # is unreachable) is not: the call fails rather than report agents as gone. Data lines carry tabs,
    # docker's complaints none, so one merged capture tells them apart without a temporary file.
    local merged line rest
    merged=$(docker inspect --type container --format "$format" "${id_list[@]}" 2>&1) || true
    local running=() data=()
    while IFS= read -r line; do
      [[ -z $line ]] && continue
      if [[ $line != *"$tab"* ]]; then
        [[ $line == *[Nn]'o such'* ]] && continue
        fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker inspect failed: ${line}"
      fi
      data+=("$line")
      # Fields: id, username, agent id, state, …, the agent label last.
      [[ $line == *"${tab}true" ]] || continue
      rest=${line#*"$tab"*"$tab"*"$tab"}
      [[ ${rest%%"$tab"*} == running ]] && running+=("${line%%"$tab"*}")
    done <<<"$merged"
    ((${#data[@]} > 0)) && printf -v inspect_out '%s\n' "${data[@]}"
    inspect_out=${inspect_out%$'\n'}
    if ((${#running[@]} > 0)); then
      stats_out=$(docker stats --no-stream \
        --format "{{.Container}}${tab}{{.CPUPerc}}${tab}{{.MemUsage}}" "${running[@]}" 2>/dev/null) || true
    fi
  fi

  # The sections as one here-string, not a { … } | awk pipeline: one process (awk), not two.
  local sections='#inspect'$'\n'
  [[ -n $inspect_out ]] && sections+="${inspect_out}"$'\n'
  sections+='#stats'$'\n'
  [[ -n $stats_out ]] && sections+="${stats_out}"$'\n'
  sections+='#wanted'
  (($# > 0)) && printf -v username '\n%s' "$@" && sections+=$username
  awk -F '\t' -v runtime=docker -f "$HOST_DIR/lib/json.awk" -f "$HOST_DIR/lib/docker-status.awk" <<<"$sections"
}

# docker_logs <username> <tail> <since>: the container's output through log-lines.awk. Rotating it is
# the daemon's log driver's business (log-opts max-size / max-file in daemon.json).
docker_logs() {
  local username=$1 tail=$2 since=$3 name out
  docker_names "$username"
  name=$DOCKER_NAME
  local args=(logs --timestamps --tail "$tail")
  [[ -z $since ]] || args+=(--since "$since")
  # stdout and stderr of the agent together, as a terminal would show them.
  if ! out=$(docker "${args[@]}" "$name" 2>&1); then
    if [[ $out == *"No such container"* ]]; then
      fail not_provisioned "$EXIT_NOT_PROVISIONED" false "agent ${username} has no container"
    fi
    fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker logs failed: $(printf '%s\n' "$out" | tail -n 5)"
  fi
  awk -v tail="$tail" -v since="$since" -v runtime=docker -v username="$username" \
    -f "$HOST_DIR/lib/json.awk" -f "$HOST_DIR/lib/log-lines.awk" <<<"$out"
}

# docker_export_data <username>: the data path of the stopped container as docker cp's tar, to fd 3
# (export-data's stdout). docker cp reads a stopped container's volumes without starting it, and
# needs nothing inside the image (the sample agent's has no tar, not even a shell).
docker_export_data() {
  local username=$1
  docker_settings
  docker_names "$username"
  docker_container_facts "$DOCKER_NAME"
  case $CONTAINER_STATUS in
    absent) fail not_provisioned "$EXIT_NOT_PROVISIONED" false "agent ${username} has no container here" ;;
    exited | created | dead) ;;
    *) fail agent_running "$EXIT_AGENT_RUNNING" false "agent ${username} is ${CONTAINER_STATUS}; stop it first" ;;
  esac
  # The archive's one top entry is the data directory itself; import-data unpacks it into the
  # parent of the same AGENT_DATA_PATH on the other host.
  if ! docker cp "${DOCKER_NAME}:${DOCKER_DATA_PATH}" - >&3; then
    fail runtime_failed "$EXIT_RUNTIME_FAILED" true "docker cp of ${DOCKER_NAME}:${DOCKER_DATA_PATH} failed"
  fi
}

# docker_import_data <username> <archive> <image>: a fresh volume holding the archive. The volume is
# made with provision's labels, so provision mounts it as it is; the data goes in through a throwaway
# container that is created (never started) with the volume mounted.
docker_import_data() {
  local username=$1 archive=$2 image=$3 helper parent
  docker_settings
  docker_names "$username"
  helper="${DOCKER_NAME}-import"
  parent=${DOCKER_DATA_PATH%/*}
  [[ -n $parent ]] || parent=/
  docker_container_facts "$DOCKER_NAME"
  [[ $CONTAINER_STATUS == absent ]] || docker_quiet rm --force "$DOCKER_NAME"
  docker rm --force "$helper" >/dev/null 2>&1 || true
  if docker volume inspect "$DOCKER_VOLUME" >/dev/null 2>&1; then
    docker_quiet volume rm --force "$DOCKER_VOLUME"
  fi
  docker_quiet volume create --label "$DOCKER_AGENT_LABEL" --label "pocket-smyth.username=${username}" \
    "$DOCKER_VOLUME"
  docker_quiet create --name "$helper" --network none \
    --mount "type=volume,source=${DOCKER_VOLUME},target=${DOCKER_DATA_PATH}" "$image"
  local out
  if ! out=$(docker cp - "${helper}:${parent}" <"$archive" 2>&1); then
    docker rm --force "$helper" >/dev/null 2>&1 || true
    fail invalid_archive "$EXIT_INVALID_ARCHIVE" false "docker cp into the volume failed: $(printf '%s\n' "$out" | tail -n 5)"
  fi
  docker_quiet rm --force "$helper"
}
