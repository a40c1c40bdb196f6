#!/usr/bin/env bash
# Assembles a base image for FlowRaft's images without any image registry: a jlink runtime made from the local
# JDK at /opt/java/openjdk (where eclipse-temurin images keep theirs, so the images' entrypoint is the same on
# either base), the glibc libraries that runtime loads, a passwd/group with the nonroot user 65532, and /tmp.
# Output: a `docker save`-format tar that Jib takes as `tar://<path>` (docs/IMAGES.md).
#
# Usage: images/offline-base.sh <output.tar>      (JAVA_HOME: the JDK to link; default: java on PATH)
#
# The runtime needs a JDK whose jlink can link: one with jmods/ (Debian: the openjdk-N-jmods package) or one
# built as a linkable runtime (JEP 493, e.g. Temurin 24 and later). Rebuilding with the same JDK and host
# libraries gives the same tar, byte for byte (fixed order, owners and times).
set -euo pipefail

out="${1:?usage: offline-base.sh <output.tar>}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jlink="$java_home/bin/jlink"
[[ -x "$jlink" ]] || { echo "offline-base: no jlink in $java_home (set JAVA_HOME to a JDK)" >&2; exit 1; }

# What a Spring Boot service needs from the platform (java.desktop for java.beans, jdk.unsupported for Netty and
# SOFAJRaft), the JVM's own management and flight recorder, and jcmd for diagnostics through `kubectl exec`.
modules=java.se,jdk.unsupported,jdk.management,jdk.management.jfr,jdk.jfr,jdk.crypto.ec,jdk.crypto.cryptoki
modules+=,jdk.naming.dns,jdk.net,jdk.zipfs,jdk.charsets,jdk.security.auth,jdk.security.jgss,jdk.jcmd,jdk.attach

work="$(mktemp -d "${TMPDIR:-/tmp}/flowraft-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/opt/java" "$root/etc" "$root/tmp" "$root/home/nonroot"

if ! "$jlink" --add-modules "$modules" --output "$root/opt/java/openjdk" \
    --strip-debug --no-header-files --no-man-pages > "$work/jlink.log" 2>&1; then
  cat "$work/jlink.log" >&2
  echo "offline-base: jlink could not link a runtime from $java_home; install its jmods" \
    "(Debian: apt-get install openjdk-<version>-jmods) or use a JDK 24+ built as a linkable runtime." >&2
  exit 1
fi
java_version="$("$root/opt/java/openjdk/bin/java" -XshowSettings:properties -version 2>&1 \
  | awk -F'= ' '/java.runtime.version/ {print $2; exit}')"

# AWT and sound natives are for desktops: the services run headless (java.beans is all they use of
# java.desktop), and leaving them out keeps the X11 and ALSA libraries out of the image.
rm -f "$root"/opt/java/openjdk/lib/{libawt_xawt,libjawt,libjsound,libsplashscreen}.so

# The host libraries the runtime's binaries load, at the paths the dynamic loader looks them up. libgcc_s is
# loaded on demand by glibc (thread cancellation and unwinding), so ldd does not list it.
libs="$(find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)"
for extra in /lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/aarch64-linux-gnu/libgcc_s.so.1; do
  [[ -e "$extra" ]] && libs+=$'\n'"$extra"
done
while IFS= read -r lib; do
  [[ -z "$lib" || "$lib" == "$root"* ]] && continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done <<< "$libs"

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"

# One layer, as root, with fixed times and order: /tmp writable by all (sticky), the nonroot home its own.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  --exclude=./home/nonroot --exclude=./tmp -C "$root" -cf "$work/layer.tar" .
chmod 1777 "$root/tmp"; chmod 700 "$root/home/nonroot"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$root" -rf "$work/layer.tar" ./tmp
tar --sort=name --mtime=@0 --owner=65532 --group=65532 --numeric-owner --format=gnu -C "$root" \
  -rf "$work/layer.tar" ./home/nonroot

diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
arch="$(uname -m)"; case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
cat > "$work/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"65532:65532","WorkingDir":"/",
  "Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
         "JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8","JAVA_VERSION=$java_version"],
  "Labels":{"org.opencontainers.image.title":"flowraft offline base",
            "org.opencontainers.image.description":"jlink runtime $java_version and host glibc, assembled by images/offline-base.sh"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/offline-base.sh"}]}
EOF
printf '[{"Config":"config.json","RepoTags":["flowraft/offline-base:latest"],"Layers":["layer.tar"]}]\n' \
  > "$work/manifest.json"

mkdir -p "$(dirname "$out")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" \
  -cf "$out.partial" manifest.json config.json layer.tar
mv "$out.partial" "$out"
echo "offline-base: $out ($(du -h "$out" | cut -f1), Java $java_version)"
