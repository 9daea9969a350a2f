#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian machine: installs what the tests
# need (npm packages with Node 24, Docker Engine, BusyBox, the aws CLI, skopeo), then checks types,
# lint, generated docs, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

if [ ! -x node_modules/.bin/node ] || [ package.json -nt node_modules/.package-lock.json ]; then
  step "npm install (Node 24 comes from the 'node' dev dependency)"
  npm install --no-audit --no-fund
fi
NODE=node_modules/.bin/node

step "Docker Engine and test images"
bash scripts/ensure-docker.sh
bash scripts/build-test-images.sh

step "PostgreSQL (Debian's postgresql; the PostgreSQL store's tests start throwaway servers)"
bash scripts/ensure-postgres.sh

# Debian's awscli is the v2 CLI; a v1 earlier on PATH lacks commands the tests use (`logs tail`).
if [ ! -x /usr/bin/aws ]; then
  step "aws CLI (Debian's awscli)"
  apt-get install -y -q awscli >/dev/null
fi

if ! command -v skopeo >/dev/null 2>&1; then
  step "skopeo (Debian's skopeo, for the registry tests)"
  apt-get install -y -q skopeo >/dev/null
fi

step "types (tsc --noEmit)"
node_modules/.bin/tsc --noEmit -p .

step "lint and format (biome)"
node_modules/.bin/biome check .

step "tests"
"$NODE" --disable-warning=ExperimentalWarning --import ./test/support/watchdog.ts --test --test-concurrency=2 --test-timeout=300000 "test/**/*.test.ts"

# The ECS API, controller and CloudWatch Logs tests again with every test plane a cluster-mode
# replica on PostgreSQL (test/support/control-plane.ts): they behave the same on both stores.
step "API, controller and Logs tests on the PostgreSQL store (LONGSHORE_TEST_STORE=postgres)"
LONGSHORE_TEST_STORE=postgres "$NODE" --disable-warning=ExperimentalWarning --import ./test/support/watchdog.ts --test --test-concurrency=2 --test-timeout=300000 \
  "test/api/*.test.ts" "test/ecs/*.test.ts" "test/controllers/*.test.ts" "test/logs/*.test.ts"
