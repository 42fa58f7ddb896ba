#!/usr/bin/env bash
# Builds log-consumer and bot-action-worker and runs both against the local RabbitMQ (and PostgreSQL),
# in the foreground; Ctrl-C stops both. Broker settings come from the environment (docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")"

: "${RABBITMQ_HOST:=localhost}"
if [[ "$RABBITMQ_HOST" == localhost || "$RABBITMQ_HOST" == 127.0.0.1 ]]; then
  bash scripts/local-services.sh
  # A broker on this machine and no credentials given: its default guest account is allowed.
  [[ -z "${RABBITMQ_USERNAME:-}" ]] && export VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS=true
fi
export RABBITMQ_HOST
export QUARKUS_DATASOURCE_REACTIVE_URL="${QUARKUS_DATASOURCE_REACTIVE_URL:-postgresql://localhost:5432/vivesphere}"
export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-postgres}"
# Without the bots' X credentials, bot-action-worker runs dry (logs the requests it would make).
if [[ -z "${BOT_CREDENTIALS_FILE:-}" && -z "${BOT_EXECUTOR:-}" ]]; then
  export BOT_EXECUTOR=dry-run BOT_WORKER_ALLOW_DRY_RUN=true
fi

./mvnw -B -q package -DskipTests

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT INT TERM
# From the app's directory, with the class-data archive made at packaging (it records the jar's path).
run_app() { cd "$1/target/quarkus-app" && exec java -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar; }
run_app log-consumer & pids+=($!)
run_app bot-action-worker & pids+=($!)

for url in http://localhost:8081/q/health/ready http://localhost:8082/q/health/ready; do
  for ((i = 0; i < 60; i++)); do
    curl -fsS "$url" >/dev/null 2>&1 && break
    sleep 1
  done
done
cat <<INFO

  log-consumer       http://localhost:8081/q/health/ready   http://localhost:8081/q/metrics
  bot-action-worker  http://localhost:8082/q/health/ready   http://localhost:8082/q/metrics   executor: ${BOT_EXECUTOR:-x}
  RabbitMQ UI        http://localhost:15672

  Ctrl-C stops both.
INFO
wait -n "${pids[@]}"
