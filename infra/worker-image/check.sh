#!/usr/bin/env bash
# Builds the worker image (apps/worker/Dockerfile) for real without any container registry, then does
# what docker-compose.yml's worker does with AGENT_RUNTIME=docker: provisions one agent from inside the
# worker image, through the Docker socket mounted into it, and removes it again.
#
#   sudo bash infra/worker-image/check.sh
#
# Not part of .ci/run: it takes a few minutes and downloads Debian packages (debootstrap, and the
# Dockerfile's apt-get) and the worker's npm packages. Needs root, Debian's docker.io (dockerd and
# docker) and debootstrap; it starts a private dockerd of its own (never the machine's), stopped by pid.
#   - The base image: Debian 12 from debootstrap (minbase) plus this machine's Node 20 and npm, laid out
#     as node:20-bookworm-slim has them, `docker import`ed and given to the build as BASE_IMAGE.
#   - The agent image: the sample agent (infra/host/sample-agent/server.mjs) on that base.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $(id -u) -eq 0 ]] || { echo "check.sh: run as root (dockerd)" >&2; exit 2; }
for tool in dockerd docker debootstrap node npm; do
  command -v "$tool" >/dev/null || { echo "check.sh: $tool is missing (apt-get install docker.io debootstrap)" >&2; exit 2; }
done
[[ $(node -p 'process.versions.node.split(".")[0]') == 20 ]] || { echo "check.sh: needs Node 20" >&2; exit 2; }

work=$(mktemp -d /tmp/ps-worker-image-XXXXXX)
export DOCKER_HOST="unix://${work}/docker.sock" DOCKER_CONFIG="${work}/config"
readonly base=pocket-smyth-local/node:20-bookworm worker=pocket-smyth-local/worker:check
readonly agent=pocket-smyth-local/sample-agent:check network=ps-check-agents
started=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }

cleanup() {
  if [[ -S ${work}/docker.sock ]]; then
    docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker volume ls -q | xargs -r docker volume rm -f >/dev/null 2>&1 || true
    docker network prune -f >/dev/null 2>&1 || true
  fi
  if [[ -n ${dockerd_pid:-} ]]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  # Whatever a killed daemon left mounted below the work directory, deepest first.
  awk -v dir="$work" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
    xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "private dockerd"
mkdir -p "${work}/config"
# Before 23.0 dockerd writes /etc/docker/key.json unless told another place; later ones refuse the key.
major=$(dockerd --version | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
if ((${major:-99} < 23)); then printf '{"deprecated-key-path": "%s/key.json"}\n' "$work"; else echo '{}'; fi \
  >"${work}/daemon.json"
# Host networking for the build's RUN steps (apt-get, npm); no docker0 and no iptables rules.
dockerd --config-file "${work}/daemon.json" --data-root "${work}/data" --exec-root "${work}/exec" \
  --host "$DOCKER_HOST" --pidfile "${work}/docker.pid" --iptables=false --ip6tables=false --bridge=none \
  >"${work}/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
docker info --format 'engine {{.ServerVersion}}, cgroup v{{.CgroupVersion}}'

step "Debian 12 base image (debootstrap) with Node $(node --version)"
rootfs="${work}/rootfs"
debootstrap --variant=minbase bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"${work}/debootstrap.log" 2>&1 ||
  { tail -20 "${work}/debootstrap.log" >&2; exit 1; }
install -D -m 0755 "$(readlink -f "$(command -v node)")" "${rootfs}/usr/local/bin/node"
npm_dir=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
mkdir -p "${rootfs}/usr/local/lib/node_modules"
cp -a "$npm_dir" "${rootfs}/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "${rootfs}/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "${rootfs}/usr/local/bin/npx"
changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["node"]')
# A network that inspects TLS with its own CA (NODE_EXTRA_CA_CERTS here) needs it in the build too, for npm.
if [[ -n ${NODE_EXTRA_CA_CERTS:-} && -f $NODE_EXTRA_CA_CERTS ]]; then
  install -D -m 0644 "$NODE_EXTRA_CA_CERTS" "${rootfs}/usr/local/share/ca-certificates/extra-ca.crt"
  changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/extra-ca.crt')
fi
tar -C "$rootfs" --numeric-owner -cf - . | docker import "${changes[@]}" - "$base" >/dev/null
rm -rf "$rootfs"
docker run --rm --network none "$base" node -e 'console.log(`node ${process.version} in the base image`)'

step "worker image (apps/worker/Dockerfile, BASE_IMAGE=${base})"
docker build --network host --build-arg "BASE_IMAGE=${base}" -f apps/worker/Dockerfile -t "$worker" . \
  >"${work}/build.log" 2>&1 || { tail -40 "${work}/build.log" >&2; exit 1; }
docker run --rm --network none "$worker" docker --version

step "sample agent image"
mkdir -p "${work}/agent"
cp infra/host/sample-agent/server.mjs "${work}/agent/"
cat >"${work}/agent/Dockerfile" <<EOF
FROM ${base}
COPY server.mjs /agent/server.mjs
EXPOSE 80
CMD ["node", "/agent/server.mjs", "--dir", "/tmp", "--host", "0.0.0.0", "--port", "80"]
EOF
docker build -t "$agent" "${work}/agent" >"${work}/agent-build.log" 2>&1 ||
  { tail -20 "${work}/agent-build.log" >&2; exit 1; }

# The worker's own code path: packages/hosts' LocalTransport running the host scripts in /app/infra/host,
# with the socket mounted where compose mounts it and the runtime set as compose sets it.
cat >"${work}/agent-check.ts" <<'EOF'
import { deprovisionAgent, LocalTransport, provisionAgent, readHostStatus } from '@pocket-smyth/hosts';

const transport = new LocalTransport();
const [action, image] = process.argv.slice(2);
if (action === 'provision') {
  const input = { username: 'alice', agentId: 'check-1', cpus: 0.5, memoryMb: 128, image, domain: 'example.test' };
  console.log('provision', JSON.stringify(await provisionAgent(transport, input)));
  for (let check = 1; check <= 30; check++) {
    const status = await readHostStatus(transport, ['alice']);
    if (status.agents[0]?.state === 'running') {
      console.log('status', JSON.stringify(status));
      process.exit(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error('alice was not running after 30 checks');
} else {
  console.log('deprovision', JSON.stringify(await deprovisionAgent(transport, 'alice')));
  console.log('status', JSON.stringify(await readHostStatus(transport, ['alice'])));
}
await transport.close();
EOF
in_worker() {
  docker run --rm --network none -v "${work}/docker.sock:/var/run/docker.sock" \
    -e AGENT_RUNTIME=docker -e "AGENT_DOCKER_NETWORK=${network}" \
    -v "${work}/agent-check.ts:/app/apps/worker/agent-check.ts:ro" -w /app/apps/worker \
    "$worker" pnpm exec tsx agent-check.ts "$@"
}

step "provision from inside the worker image, through the mounted socket"
in_worker provision "$agent"
address=$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' ps-agent-alice)
health=$(node -e '
  const url = process.argv[1];
  const get = (n) => fetch(url).then((r) => r.text()).catch((e) => (n > 0 ? new Promise((r) => setTimeout(r, 500)).then(() => get(n - 1)) : Promise.reject(e)));
  get(20).then((text) => console.log(text));' "http://${address}/agent/health")
echo "health from the host, over the agents' network: ${health}"
[[ $health == *'"agent":"alice"'* ]]

step "deprovision from inside the worker image"
in_worker deprovision
[[ -z $(docker ps -aq --filter name=ps-agent-alice) ]]
[[ -z $(docker volume ls -q) ]]

step "done: worker image $(docker image inspect --format '{{.Size}}' "$worker" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
