#!/usr/bin/env bash
# Builds the starter server's image from the repository root and checks the container the way an operator
# would: /health and /ready answer, a document is indexed on the /data volume, the offline demo model answers
# from it with a citation, Python runs in the Pyodide sandbox, /metrics serves Prometheus text, the Docker
# HEALTHCHECK reports healthy, and SIGTERM drains and exits 0.
#
#   bash examples/starter-server/docker/smoke.sh          # needs a running Docker daemon
#
# Where Docker Hub is unreachable (an air-gapped or proxied machine), `node:24-bookworm-slim` cannot be pulled:
# the script then builds a stand-in under that tag from Debian bookworm (debootstrap, from the Debian mirror),
# the Node 24 binary of this workspace and the machine's npm, plus what this machine's network needs to reach
# the npm registry (its CA bundle, its Node headers for node-gyp). The official image is what production uses.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
port=${SMOKE_PORT:-3999}
token=smoke-token-0123456789
name=agenticgen-smoke-$$
work=$(mktemp -d)
cleanup() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker volume rm "$name-data" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

if ! docker image inspect node:24-bookworm-slim >/dev/null 2>&1 && ! docker pull node:24-bookworm-slim >/dev/null 2>&1; then
  step "node:24-bookworm-slim cannot be pulled: building a stand-in offline"
  command -v debootstrap >/dev/null || { echo "needs debootstrap (apt-get install debootstrap)"; exit 1; }
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >/dev/null
  tar -C "$work/rootfs" -c . | docker import - agenticgen-local/debian-minbase:bookworm >/dev/null
  mkdir -p "$work/base"
  cp "$(readlink -f "$root/node_modules/.bin/node")" "$work/base/node"
  cp -r "$(npm root -g)/npm" "$work/base/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$work/base/ca.crt"
  if [ -d /usr/include/node ]; then cp -r /usr/include/node "$work/base/include-node"; else mkdir "$work/base/include-node"; fi
  cat >"$work/base/Dockerfile" <<'DOCKERFILE'
FROM agenticgen-local/debian-minbase:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca.crt /etc/ssl/certs/agenticgen-host-ca.crt
COPY include-node /usr/include/node
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/agenticgen-host-ca.crt \
    npm_config_nodedir=/usr
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t node:24-bookworm-slim "$work/base" >/dev/null
fi

step "docker build (from a clean export of HEAD, so local node_modules and dist stay out of the context)"
git -C "$root" archive --format=tar HEAD | tar -x -C "$work" --one-top-level=context
DOCKER_BUILDKIT=0 docker build --network host -q -f "$work/context/examples/starter-server/Dockerfile" \
  -t agenticgen-starter "$work/context" >/dev/null
docker image ls agenticgen-starter --format 'image size {{.Size}}'

step "docker run"
docker run -d --name "$name" --network host -e HOST=127.0.0.1 -e PORT="$port" -e AGENTICGEN_TOKENS="$token" \
  -v "$name-data:/data" agenticgen-starter >/dev/null
base=http://127.0.0.1:$port
for _ in $(seq 1 60); do curl -sf "$base/ready" >/dev/null && break; sleep 1; done
curl -sf "$base/health" | grep -q '"status":"ok"'
curl -sf "$base/ready" | grep -q '"status":"ready"'
auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')
curl -sf "${auth[@]}" -d '{"name":"otters.md","content":"Sea otters hold hands while they sleep so they do not drift apart."}' \
  "$base/api/knowledge/documents" | grep -q '"chunks":1'
curl -sf "${auth[@]}" -d '{"messages":[{"role":"user","content":"Why do sea otters hold hands?"}]}' "$base/api/chat" |
  grep -q 'hold hands while they sleep.*\[1\] otters.md'
curl -sf "${auth[@]}" -d '{"code":"print(sum(range(10)))"}' "$base/api/tools/python" | grep -q '"stdout":"45\\n"'
curl -sf "$base/metrics" | grep -q '^agenticgen_'
echo "health, ready, knowledge upload, cited answer, Python and /metrics: ok"

step "HEALTHCHECK and SIGTERM"
for _ in $(seq 1 40); do
  [ "$(docker inspect --format '{{.State.Health.Status}}' "$name")" = healthy ] && break
  sleep 1
done
[ "$(docker inspect --format '{{.State.Health.Status}}' "$name")" = healthy ]
docker stop -t 30 "$name" >/dev/null
[ "$(docker inspect --format '{{.State.ExitCode}}' "$name")" = 0 ]
docker logs "$name" 2>&1 | grep -q 'shutdown complete'
echo "healthy, drained on SIGTERM, exit code 0"
