# shellcheck shell=bash
# Picks the agent runtime for this call: AGENT_RUNTIME=docker|process, or, when unset, docker if a
# Docker daemon answers and process otherwise. Production hosts should set it explicitly, so that a
# daemon that is briefly down never makes a provision fall back to a plain process.

select_runtime() {
  local wanted="${AGENT_RUNTIME:-}"
  case "$wanted" in
    docker)
      # No probe: the first real docker call reports an unreachable daemon (runtime_failed, transient)
      # and every call saved matters when a host runs hundreds of agents.
      command -v docker >/dev/null 2>&1 || fail runtime_unavailable "$EXIT_RUNTIME_UNAVAILABLE" false \
        "AGENT_RUNTIME=docker but there is no docker command"
      RUNTIME=docker
      ;;
    process)
      process_available || fail runtime_unavailable "$EXIT_RUNTIME_UNAVAILABLE" false \
        "AGENT_RUNTIME=process but '${AGENT_NODE:-node}' is not on PATH"
      RUNTIME=process
      ;;
    '')
      if docker_available; then
        RUNTIME=docker
      elif process_available; then
        RUNTIME=process
      else
        fail runtime_unavailable "$EXIT_RUNTIME_UNAVAILABLE" false "neither a Docker daemon nor node is available"
      fi
      ;;
    *)
      fail invalid_argument "$EXIT_INVALID_ARGUMENT" false "AGENT_RUNTIME must be docker or process"
      ;;
  esac
  # shellcheck disable=SC2034 # read by the sourcing script and emit_agent_result
  readonly RUNTIME
}

docker_available() {
  command -v docker >/dev/null 2>&1 || return 1
  if command -v timeout >/dev/null 2>&1; then
    timeout 10 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1
  else
    docker info --format '{{.ServerVersion}}' >/dev/null 2>&1
  fi
}

process_available() {
  command -v "${AGENT_NODE:-node}" >/dev/null 2>&1
}
