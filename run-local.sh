#!/usr/bin/env bash
# Builds log-consumer and bot-action-worker (when their sources changed) and runs both against the local
# RabbitMQ (and PostgreSQL), in the foreground, each with its output in target/run-local/<app>.log. Says
# "ready" once both answer /q/health/ready; stops both and exits non-zero as soon as one of them exits,
# showing the end of its log. Ctrl-C stops both. Settings come from the environment (docs/configuration.md);
# LOG_CONSUMER_HTTP_PORT (8081) and BOT_WORKER_HTTP_PORT (8082) are the apps' HTTP ports.
set -euo pipefail
cd "$(dirname "$0")"

apps=(log-consumer bot-action-worker)
logs=target/run-local
readonly START_TIMEOUT=120 ERROR_LINES=40

: "${RABBITMQ_HOST:=localhost}"
if [[ "$RABBITMQ_HOST" == localhost || "$RABBITMQ_HOST" == 127.0.0.1 ]]; then
  bash scripts/local-services.sh
  # A broker on this machine and no credentials given: its default guest account is allowed.
  [[ -z "${RABBITMQ_USERNAME:-}" ]] && export VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS=true
fi
export RABBITMQ_HOST
export QUARKUS_DATASOURCE_REACTIVE_URL="${QUARKUS_DATASOURCE_REACTIVE_URL:-postgresql://localhost:5432/vivesphere}"
export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-postgres}"
# Without a key to verify tokens, the query API is open: this is a local run.
[[ -z "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}" ]] && export LOG_CONSUMER_API_ACCESS="${LOG_CONSUMER_API_ACCESS:-permit}"
# Without the bots' X credentials, bot-action-worker runs dry (the whole pipeline; the X calls are only logged).
if [[ -z "${BOT_CREDENTIALS_FILE:-}" && -z "${BOT_EXECUTOR:-}" ]]; then
  export BOT_EXECUTOR=dry-run BOT_WORKER_ALLOW_DRY_RUN=true
fi

# One QUARKUS_HTTP_PORT would send both apps to the same port: each gets its own.
declare -A port=([log-consumer]="${LOG_CONSUMER_HTTP_PORT:-8081}" [bot-action-worker]="${BOT_WORKER_HTTP_PORT:-8082}")
if [[ -n "${QUARKUS_HTTP_PORT:-}" ]]; then
  echo "run-local: ignoring QUARKUS_HTTP_PORT=$QUARKUS_HTTP_PORT (it would be both apps' port);" \
    "set LOG_CONSUMER_HTTP_PORT and BOT_WORKER_HTTP_PORT instead"
fi
unset QUARKUS_HTTP_PORT LOG_CONSUMER_HTTP_PORT BOT_WORKER_HTTP_PORT

# What the packaged apps are made of: the modules they are built from and the parent POM.
sources_changed() {
  local app jar
  for app in "${apps[@]}"; do
    jar=$app/target/quarkus-app/quarkus-run.jar
    [[ -f "$jar" ]] || return 0
    [[ -n "$(find pom.xml common-messages worker-runtime log-consumer bot-action-worker \
      \( -path '*/target' -o -path '*/src/test' \) -prune -o -type f -newer "$jar" -print -quit)" ]] && return 0
  done
  return 1
}

mkdir -p "$logs"
if sources_changed; then
  echo "run-local: building ${apps[*]} (Maven's output: $logs/build.log)"
  # The reactor's progress, one line per module, instead of minutes of silence.
  if ! ./mvnw -B package -DskipTests -pl "$(IFS=,; echo "${apps[*]}")" -am 2>&1 | tee "$logs/build.log" |
    grep --line-buffered -E '^\[INFO\] Building .*\[[0-9]+/[0-9]+\]|^\[INFO\] BUILD|^\[ERROR\]' | sed -u 's/^\[INFO\] /  /'; then
    echo "run-local: the build failed; see $logs/build.log" >&2
    exit 1
  fi
else
  echo "run-local: ${apps[*]} are up to date with their sources; not rebuilding"
fi

declare -A pid
stop_all() {
  local app
  for app in "${apps[@]}"; do
    [[ -n "${pid[$app]:-}" ]] && kill "${pid[$app]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
# An app that exited: the end of its log, then the other one stopped, and a non-zero exit.
exited() {
  local app=$1 status=$2
  echo "run-local: $app exited (status $status); the end of $logs/$app.log:" >&2
  tail -n "$ERROR_LINES" "$logs/$app.log" >&2
  unset "pid[$app]"
  stop_all
  exit $((status == 0 ? 1 : status))
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# From the app's directory, with the class-data archive made at packaging (it records the jar's path).
for app in "${apps[@]}"; do
  (cd "$app/target/quarkus-app" &&
    QUARKUS_HTTP_PORT=${port[$app]} exec java -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar) \
    >"$logs/$app.log" 2>&1 &
  pid[$app]=$!
  echo "run-local: started $app (pid ${pid[$app]}, port ${port[$app]}, log $logs/$app.log)"
done

# Ready when both answer; an app that exits meanwhile ends the wait at once.
declare -A ready=()
for ((second = 0; ${#ready[@]} < ${#apps[@]}; second++)); do
  for app in "${apps[@]}"; do
    if ! kill -0 "${pid[$app]}" 2>/dev/null; then
      status=0
      wait "${pid[$app]}" || status=$?
      exited "$app" "$status"
    fi
    [[ -z "${ready[$app]:-}" ]] && curl -fsS -o /dev/null "http://localhost:${port[$app]}/q/health/ready" 2>/dev/null &&
      ready[$app]=yes
  done
  if ((${#ready[@]} < ${#apps[@]})); then
    if ((second >= START_TIMEOUT)); then
      for app in "${apps[@]}"; do
        [[ -z "${ready[$app]:-}" ]] && echo "run-local: $app is not ready after ${START_TIMEOUT}s; the end of $logs/$app.log:" >&2 &&
          tail -n "$ERROR_LINES" "$logs/$app.log" >&2
      done
      exit 1
    fi
    sleep 1
  fi
done

cat <<INFO

  run-local: ready
  log-consumer       http://localhost:${port[log-consumer]}/q/health/ready   http://localhost:${port[log-consumer]}/q/metrics   log $logs/log-consumer.log
  bot-action-worker  http://localhost:${port[bot-action-worker]}/q/health/ready   http://localhost:${port[bot-action-worker]}/q/metrics   executor: ${BOT_EXECUTOR:-x}   log $logs/bot-action-worker.log
  RabbitMQ UI        http://localhost:15672

  Ctrl-C stops both.
INFO

# Until one of them exits (or Ctrl-C).
status=0
wait -n "${pid[@]}" || status=$?
for app in "${apps[@]}"; do
  kill -0 "${pid[$app]}" 2>/dev/null || exited "$app" "$status"
done
