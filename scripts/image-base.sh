#!/usr/bin/env bash
# Assembles the local base image every Storefront image is built on when no registry can be reached:
# a jlink runtime of the JDK on this machine plus the few shared libraries the JVM loads, /etc/passwd
# with the non-root user 65532, and an empty /tmp. Written as a `docker save` tarball that Jib reads
# through tar:// (see the jib-maven-plugin configuration in the parent POM).
#
#   scripts/image-base.sh [OUTPUT.tar]      default: $STOREFRONT_IMAGE_CACHE/jib-base/storefront-base.tar
#
# The tarball lives outside the repository (default cache ~/.cache/storefront) and is rebuilt only when
# missing or when its key changes (this script, the JDK release, the host libraries); byte-identical
# for the same inputs: sorted entries, fixed times and owners, so the images built on it are reproducible.
set -euo pipefail

CACHE=${STOREFRONT_IMAGE_CACHE:-${HOME:-/root}/.cache/storefront}
OUT=${1:-$CACHE/jib-base/storefront-base.tar}
JDK=${STOREFRONT_IMAGE_JDK:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
[ -x "$JDK/bin/jlink" ] || JDK=/usr/lib/jvm/temurin-25-jdk-amd64
[ -x "$JDK/bin/jlink" ] || { echo "image-base: no jlink in $JDK (set STOREFRONT_IMAGE_JDK)" >&2; exit 1; }

# what the services (Helidon, JDBC, JSON-B -> java.beans in java.desktop), the web server and the operator
# (fabric8, JDK HttpServer, Micrometer's JVM metrics) use, from `jdeps --print-module-deps` over their
# class paths, plus jdk.crypto.ec/cryptoki for TLS to a managed database and jdk.zipfs/localedata
MODULES=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.cryptoki,\
jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.localedata,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs

release=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')
arch=$(uname -m)
libc=$(getconf GNU_LIBC_VERSION 2>/dev/null || echo unknown-libc)
key=$(printf '%s\n' "$(sha256sum "$0" | cut -d' ' -f1)" "$release" "$arch" "$libc" "$MODULES" | sha256sum | cut -d' ' -f1)
if [ -s "$OUT" ] && [ "$(cat "$OUT.key" 2>/dev/null)" = "$key" ]; then
  exit 0
fi

mkdir -p "$(dirname "$OUT")"
exec 9>"$OUT.lock"
flock 9   # one build at a time; parallel Maven modules wait for the first
if [ -s "$OUT" ] && [ "$(cat "$OUT.key" 2>/dev/null)" = "$key" ]; then
  exit 0
fi
echo "image-base: assembling $OUT (jlink from $release, $arch)" >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/storefront-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{etc,tmp,proc,dev,sys,app,home/nonroot,opt}
"$JDK/bin/jlink" --add-modules "$MODULES" --output "$root/opt/java" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive
# a server runtime: no windowing, sound or splash screen (java.desktop stays for java.beans; AWT runs
# headless), and no CDS archive for uncompressed oops (used only by heaps above 32 GB)
rm -f "$root"/opt/java/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound}.so "$root/opt/java/lib/server/classes_nocoops.jsa"

# the shared libraries the runtime's binaries need, with the loader, at the paths the host has them
# plus the C++ runtime: native code inside the services' jars needs it (onnxruntime, search's embedding model)
cxx=$("$(command -v ldconfig || echo /sbin/ldconfig)" -p | awk '($1 == "libstdc++.so.6" || $1 == "libgcc_s.so.1") && !seen[$1]++ {print $NF}')
libs=$( { find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0; printf '%s\0' $cxx; } \
  | xargs -0 ldd 2>/dev/null | awk -v root="$root" '$2 == "=>" && $3 ~ /^\// && index($3, root) != 1 {print $3}' | sort -u)
libs=$(printf '%s\n' $libs $cxx | sort -u)
for lib in $libs; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# glibc >= 2.34 has nss files/dns inside libc; these tell it where users, groups and hosts come from
case $arch in
  x86_64) mkdir -p "$root/lib64"; [ -e "$root/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/" ;;
esac
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
: >"$root/etc/resolv.conf"
chmod 1777 "$root/tmp"

tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -C "$root" -cf "$work/layer.tar" .
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
case $arch in x86_64) goarch=amd64 ;; aarch64) goarch=arm64 ;; *) goarch=$arch ;; esac
cat >"$work/config.json" <<EOF
{"architecture":"$goarch","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"User":"65532:65532","WorkingDir":"/app"},"rootfs":{"type":"layers","diff_ids":["$diff_id"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/image-base.sh: jlink $release ($MODULES) + host libraries"}]}
EOF
printf '[{"Config":"config.json","RepoTags":["storefront-base:local"],"Layers":["layer.tar"]}]\n' >"$work/manifest.json"
tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -C "$work" -cf "$OUT.tmp" manifest.json config.json layer.tar
mv "$OUT.tmp" "$OUT"
echo "$key" >"$OUT.key"
echo "image-base: $(du -h "$OUT" | cut -f1) $OUT" >&2
