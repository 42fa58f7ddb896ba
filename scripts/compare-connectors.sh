#!/usr/bin/env bash
# The fault suite's kill -9 and broker-restart scenarios on each connector, one after the other, and what each
# measured (docs/connectors.md). A scenario that fails on a connector is reported with its assertion
# message (lost or duplicated messages, a stall) instead of stopping the comparison. About 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fault-suite/target/connector-comparison
rm -rf "$out" fault-suite/target/faults fault-suite/target/failsafe-reports && mkdir -p "$out"
./mvnw -B -q install -DskipTests
for connector in vivesphere-rabbitmq-client smallrye-rabbitmq; do
  echo "== $connector"
  ./mvnw -B -q verify -Pfaults -pl fault-suite -Dfaults.connector="$connector" \
    -Dit.test='CrashFaultIT,BrokerOutageFaultIT' -Dmaven.test.failure.ignore=true \
    >"$out/$connector.log" 2>&1 || true
  cp fault-suite/target/faults/figures.txt "$out/$connector-figures.txt" 2>/dev/null || : >"$out/$connector-figures.txt"
  cat "$out/$connector-figures.txt"
  # Failed scenarios: the test and the first line of its assertion message.
  grep -h -A2 '<<< FAILURE\|<<< ERROR' fault-suite/target/failsafe-reports/*.txt 2>/dev/null \
    | grep -v '^--$' | sed 's/^/  FAILED /' | tee "$out/$connector-failures.txt" || true
  rm -rf fault-suite/target/faults fault-suite/target/failsafe-reports
done
echo "logs and figures: $out"
