#!/usr/bin/env bash
# STAND-IN for the Dockerfile's base image (registry.access.redhat.com/ubi9/openjdk-17-runtime), which cannot be
# pulled here: Debian bookworm with Debian's OpenJDK 17 runtime, plus what the real base gives and
# src/main/docker/Dockerfile.jvm relies on: user 185 (home /home/default), /deployments owned by it, and a
# run-java.sh at the real base's path (this directory's stand-in-run-java.sh). Usage: build-standin-base.sh IMAGE
# with the podman options in PODMAN_OPTIONS (the test harness's runtime). Needs root (debootstrap, chroot).
set -euo pipefail
image=$1
here=$(cd "$(dirname "$0")" && pwd)
rootfs=$(mktemp -d /var/tmp/standin-rootfs.XXXXXX)
trap 'umount "$rootfs/proc" 2>/dev/null || true; rm -rf "$rootfs"' EXIT

debootstrap --variant=minbase bookworm "$rootfs" >/dev/null
cp /etc/resolv.conf "$rootfs/etc/"
chroot "$rootfs" bash -euc '
  mount -t proc proc /proc
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
  apt-get clean
  rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
  umount /proc
  useradd --uid 185 --gid 0 --home-dir /home/default --create-home --shell /bin/bash default
  mkdir -p /deployments /opt/jboss/container/java/run
  chown 185:0 /deployments
'
rm -f "$rootfs/etc/resolv.conf"
install -m 0755 "$here/stand-in-run-java.sh" "$rootfs/opt/jboss/container/java/run/run-java.sh"
# what the real base sets: its Java home on PATH, its working directory and user
tar -C "$rootfs" -c . | podman ${PODMAN_OPTIONS:-} import --quiet \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --change 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /home/default' --change 'USER 185' \
  --change 'LABEL vivesphere.stand-in=debian-bookworm-openjdk-17-jre-headless' - "$image" >/dev/null
echo "stand-in base $image built"
