# shellcheck shell=bash
# An agent's environment variables (docs/ARCHITECTURE.md, "Agent secrets"): provision receives them on
# standard input as an env file (NAME=value lines), never as arguments. They are written to a file of
# mode 0600 in a private directory made for this call (umask 077, mktemp -d) and removed when the script
# exits, however it exits. The values are never printed: errors name a line number or a variable name.
# The portal validates the same rules first (packages/core/src/agent-env.ts); these checks are the
# host's own, so a caller that skipped them cannot smuggle in PATH or a malformed line.

# agent_env_reserved <name>: true when the name is the runtime's or the scripts' own.
agent_env_reserved() {
  case $1 in
    PATH | HOME | USER | LOGNAME | SHELL | HOSTNAME | PWD | OLDPWD | TMPDIR | TERM | IFS | ENV | PS4 | \
      SHELLOPTS | BASHOPTS | PORT | NODE_OPTIONS | NODE_PATH | AGENT_* | POCKET_SMYTH_* | LD_* | BASH_* | \
      DOCKER_*)
      return 0
      ;;
  esac
  return 1
}

# agent_env_receive <none|stdin>: with stdin, reads the env file from standard input into a private
# file and sets AGENT_ENV_FILE to it and AGENT_ENV_DIGEST to its SHA-256 (what a container's config
# label is made from: it changes when the variables do). With none, or an empty input, both are empty.
agent_env_receive() {
  AGENT_ENV_FILE='' AGENT_ENV_DIGEST=''
  case $1 in
    none) return 0 ;;
    stdin) ;;
    *) fail invalid_argument "$EXIT_INVALID_ARGUMENT" false "env must be none or stdin" ;;
  esac
  local dir
  dir=$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/ps-agent-env.XXXXXXXX") ||
    fail runtime_failed "$EXIT_RUNTIME_FAILED" true "cannot make a private directory for the environment"
  AGENT_ENV_DIR=$dir
  trap 'rm -rf -- "$AGENT_ENV_DIR"' EXIT
  local file="${dir}/env"
  (umask 077 && cat >"$file")
  [[ -s $file ]] || return 0

  local line number=0 name
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    if [[ ! $line =~ ^[A-Z_][A-Z0-9_]{0,63}= ]]; then
      fail invalid_argument "$EXIT_INVALID_ARGUMENT" false "environment line ${number} is not NAME=value"
    fi
    name=${line%%=*}
    if agent_env_reserved "$name"; then
      fail invalid_argument "$EXIT_INVALID_ARGUMENT" false "environment variable ${name} is reserved"
    fi
  done <"$file"
  local digest
  digest=$(sha256sum <"$file")
  AGENT_ENV_FILE=$file
  AGENT_ENV_DIGEST=${digest:0:64}
}
