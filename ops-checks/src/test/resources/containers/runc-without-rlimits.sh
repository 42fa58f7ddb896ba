#!/usr/bin/env bash
# Test-machine glue, not part of the images: an OCI runtime for podman (--runtime) that removes the rlimits from
# what podman hands runc (the bundle's config.json for a container, the --process file for podman exec), then
# runs runc. podman asks for RLIMIT_NPROC every time, which a sandbox without CAP_SYS_RESOURCE refuses;
# machines with a Docker engine need none of this.
set -euo pipefail
args=("$@")
files=()
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --bundle | -b) files+=("${args[i + 1]}/config.json") ;;
    --bundle=*) files+=("${args[i]#--bundle=}/config.json") ;;
    --process | -p) files+=("${args[i + 1]}") ;;
    --process=*) files+=("${args[i]#--process=}") ;;
  esac
done
for file in "${files[@]}"; do
  [[ -f "$file" ]] || continue
  python3 - "$file" <<'PY'
import json, sys
path = sys.argv[1]
with open(path) as f:
    spec = json.load(f)
spec.pop("rlimits", None)  # a --process file is the process object itself
spec.get("process", {}).pop("rlimits", None)
with open(path, "w") as f:
    json.dump(spec, f)
PY
done
exec runc "$@"
