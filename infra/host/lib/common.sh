# shellcheck shell=bash
# The EXIT_* codes and read_line_into's target are used by the scripts that source this file.
# shellcheck disable=SC2034
# Shared by every host script: strict mode, the one-JSON-object output contract, argument validation
# and the per-agent lock. Sourced, never executed.

set -Eeuo pipefail
# Byte-wise, predictable pattern matching: the username rule must mean [a-z] in ASCII, nothing else.
export LC_ALL=C

# Exit codes, one per error code, so a caller can tell failures apart without parsing.
readonly EXIT_USAGE=2
readonly EXIT_INVALID_USERNAME=3
readonly EXIT_INVALID_ARGUMENT=4
readonly EXIT_NOT_PROVISIONED=5
readonly EXIT_RUNTIME_UNAVAILABLE=6
readonly EXIT_RUNTIME_FAILED=7
readonly EXIT_BUSY=8
readonly EXIT_UNSUPPORTED_PLATFORM=9
readonly EXIT_INTERNAL=10
readonly EXIT_AGENT_RUNNING=11
readonly EXIT_TOO_LARGE=12
readonly EXIT_CHECKSUM_MISMATCH=13
readonly EXIT_INVALID_ARCHIVE=14

# json_string_into <variable> <text>: sets the variable to the JSON string literal of the text (quote,
# backslash and control characters escaped). Into a variable rather than printed: $(...) would fork a
# subshell for every field, and a host running a thousand agents pays for every fork.
json_string_into() {
  local -n json_ref=$1
  local s=$2
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  # Any other control character has no business in our output; dropping it keeps the JSON valid.
  s=${s//[$'\001'-$'\037']/}
  json_ref="\"${s}\""
}

# fail <code> <exit-status> <transient:true|false> <message>
# Prints the single JSON error object on stdout, a human line on stderr, and exits. Never call it
# (or a function that may call it) inside $(...): it would only leave the subshell.
fail() {
  local code=$1 status=$2 transient=$3 message=$4 code_json message_json
  trap - ERR
  json_string_into code_json "$code"
  json_string_into message_json "$message"
  printf '{"ok":false,"error":{"code":%s,"message":%s,"transient":%s}}\n' \
    "$code_json" "$message_json" "$transient"
  printf '%s: %s\n' "$code" "$message" >&2
  exit "$status"
}

# Anything that fails without going through fail() still honours the contract.
on_unexpected_error() {
  local status=$1 line=$2 command=$3
  fail internal "$EXIT_INTERNAL" false "line ${line}: '${command}' exited with ${status}"
}
trap 'on_unexpected_error "$?" "$LINENO" "$BASH_COMMAND"' ERR

# The app's rule (packages/api/src/domain/usernames.ts), checked again here because a username ends
# up in container names, hostnames and file paths on this machine.
is_valid_username() {
  local name=$1
  [[ $name =~ ^[a-z][a-z0-9-]{1,30}[a-z0-9]$ ]] && [[ $name != *--* ]]
}

require_username() {
  local name=$1
  if ! is_valid_username "$name"; then
    fail invalid_username "$EXIT_INVALID_USERNAME" false \
      "username must match ^[a-z][a-z0-9-]{1,30}[a-z0-9]\$ without '--'"
  fi
}

# require_arg_count <expected> <actual> <usage>
require_arg_count() {
  if [[ $2 -ne $1 ]]; then
    fail usage "$EXIT_USAGE" false "expected $1 argument(s), got $2; usage: $3"
  fi
}

# require_match <name> <value> <extended-regex>
require_match() {
  local name=$1 value=$2 pattern=$3
  if ! [[ $value =~ $pattern ]]; then
    fail invalid_argument "$EXIT_INVALID_ARGUMENT" false "${name} is not valid"
  fi
}

now_iso() {
  date -u +%Y-%m-%dT%H:%M:%SZ
}

# host_lock <fd> <name> <busy message>: an flock on <name>.lock in the host's lock directory, held
# through file descriptor <fd> (a literal from these scripts) until it is closed or the script ends.
# flock is util-linux; without it (e.g. macOS) the scripts run unlocked rather than not at all.
host_lock() {
  local fd=$1 name=$2 message=$3
  command -v flock >/dev/null 2>&1 || return 0
  local dir="${AGENT_LOCK_DIR:-${TMPDIR:-/tmp}/pocket-smyth-locks}"
  [[ -d $dir ]] || mkdir -p "$dir"
  # eval only for the descriptor's number; the path is expanded inside the quotes, never as code.
  eval "exec ${fd}>\"\${dir}/\${name}.lock\""
  if ! flock -w "${AGENT_LOCK_TIMEOUT_S:-60}" "$fd"; then
    fail busy "$EXIT_BUSY" true "$message"
  fi
}

# Serialises every change to one agent, so a job that runs twice at once cannot create two agents.
lock_agent() {
  host_lock 9 "$1" "another change to agent $1 is still running"
}

# emit_agent_result <action> <username> <changed:true|false> <state> [<port>]
# The success object of provision/restart/stop/deprovision.
emit_agent_result() {
  local action=$1 username=$2 changed=$3 state=$4 port=${5:-} action_json runtime_json username_json state_json
  json_string_into action_json "$action"
  json_string_into runtime_json "$RUNTIME"
  json_string_into username_json "$username"
  json_string_into state_json "$state"
  printf '{"ok":true,"action":%s,"runtime":%s,"username":%s,"changed":%s,"state":%s,"port":%s}\n' \
    "$action_json" "$runtime_json" "$username_json" "$changed" "$state_json" "${port:-null}"
}

# read_line_into <variable> <file>: the file's first line, or '' when it is missing or empty.
# A builtin read, not $(<file): status reads thousands of these files and must not fork for each.
read_line_into() {
  local -n target_ref=$1
  target_ref=''
  [[ -f $2 ]] || return 0
  read -r target_ref <"$2" || true
}
