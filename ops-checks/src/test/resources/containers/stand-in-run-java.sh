#!/usr/bin/env bash
# STAND-IN for the real base image's /opt/jboss/container/java/run/run-java.sh: only the part of it that
# src/main/docker/Dockerfile.jvm relies on, with the same meaning as the real script's variables:
#   JAVA_MAX_MEM_RATIO    heap at most this percentage of the memory the JVM sees (-XX:MaxRAMPercentage)
#   GC_CONTAINER_OPTIONS  the collector (default -XX:+UseParallelGC), followed by the real script's GC defaults
#   JAVA_OPTS_APPEND      appended to the JVM options
#   JAVA_APP_JAR          the jar run with -jar, from JAVA_APP_DIR (default /deployments)
set -euo pipefail
options=()
if [[ "${JAVA_MAX_MEM_RATIO:-}" != "0" ]]; then
  options+=("-XX:MaxRAMPercentage=$(printf '%.0f.0' "${JAVA_MAX_MEM_RATIO:-80}")")
fi
# shellcheck disable=SC2206 # option lists are word-split, as the real script does
options+=(${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC} -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20
  -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 ${JAVA_OPTS_APPEND:-})
cd "${JAVA_APP_DIR:-/deployments}"
echo "INFO exec java ${options[*]} -jar ${JAVA_APP_JAR:?JAVA_APP_JAR is not set}"
exec java "${options[@]}" -jar "$JAVA_APP_JAR" "$@"
