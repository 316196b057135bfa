#!/bin/sh
# Runs inside `unshare --mount --pid --fork`, in the pod's network namespace: makes the container's mounts
# (private to this mount namespace, so they vanish with it) and starts the image's entrypoint in the root.
#   pod.sh ROOT WORKDIR UID GID HOSTS -- command...
# The root is bind-mounted read-only; /tmp is a tmpfs (the pod's emptyDir), /proc is this pid namespace's,
# /dev the host's (null, urandom), /etc/hosts the pod's own (the cluster DNS of the harness).
set -eu
ROOT=$1 WD=$2 USER_ID=$3 GROUP_ID=$4 HOSTS=$5
shift 6
/bin/mount --make-rprivate /
/bin/mount --bind "$ROOT" "$ROOT"
/bin/mount -t proc -o nosuid,nodev,noexec proc "$ROOT/proc"
/bin/mount -t tmpfs -o size=256m,mode=1777,nosuid,nodev tmpfs "$ROOT/tmp"
/bin/mount --rbind /dev "$ROOT/dev"
/bin/mount --bind "$HOSTS" "$ROOT/etc/hosts"
/bin/mount -o remount,bind,ro "$ROOT/etc/hosts"
/bin/mount -o remount,bind,ro "$ROOT"
exec /usr/bin/nsenter --root="$ROOT" --wd="$ROOT$WD" --setuid "$USER_ID" --setgid "$GROUP_ID" -t $$ -- "$@"
