#!/usr/bin/env bash
# Builds the OCI archive of an image that behaves as the official `flink:<VERSION>-java17` (Docker Hub's
# apache/flink-docker images), with no Docker and no registry: a Debian bookworm rootfs from debootstrap
# with Java 17, gosu, envsubst, jemalloc and the user flink (9999:9999), then the Flink distribution that
# PyPI serves (apache-flink-libraries' sdist holds lib/ opt/ plugins/, the apache-flink wheel the bin/
# scripts and conf/) under /opt/flink, and the official image's /docker-entrypoint.sh. Unlike the official
# image, its JVMs compile with C1 only (JAVA_TOOL_OPTIONS, below), as the tests' local Flink JVMs do,
# and map class-data sharing archives that a JobManager and BashJavaUtils of the image made at build.
# Usage: flink-image.sh VERSION (e.g. 1.20.3). Prints the archive's path as its last line.
# Cached under ${XDG_CACHE_HOME:-~/.cache}/sluice/kubernetes/images/: the JRE rootfs tarball once (keyed
# by its package list: debootstrap takes minutes), the PyPI downloads and one archive per version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version=${1:?usage: flink-image.sh FLINK_VERSION (e.g. 1.20.3)}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "flink image: '$version' is not a Flink version such as 1.20.3" >&2; exit 1; }
major=${version%%.*}

cache="${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kubernetes/images"
mkdir -p "$cache"
log() { echo "flink image $version: $*" >&2; }
fail() { echo "flink image $version: $*" >&2; exit 1; }

# The image's name as Docker Hub tags it, fully qualified as containerd and kubelet normalise
# `flink:<v>-java17`, so that a pod asking for officialFlinkImage(v) finds it without a pull.
name="docker.io/library/flink:$version-java17"
archive="$cache/flink-$version-java17.tar"
# The recipe's own hash, so an archive built by an older recipe is built again.
recipe=$(cat "$0" "$here/oci-archive.sh" "$here/flink-image/"* | sha256sum | cut -c1-12)
if [ -f "$archive" ] && [ "$(cat "$archive.recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "$archive"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then fail "building the image needs root (debootstrap, chroot, file owners)"; fi
# One build at a time on this machine (test files and helpers may ask for images at once); whoever
# waited finds the archive made by the one before.
exec 9>"$cache/.lock"
flock 9
if [ -f "$archive" ] && [ "$(cat "$archive.recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "$archive"
  exit 0
fi

# --- the JRE rootfs: Debian bookworm minbase + what the official image's Dockerfile installs -----------
# eclipse-temurin:17-jre (its base) gives Java 17; the Dockerfile adds gettext-base (envsubst), gosu,
# libjemalloc (the entrypoint preloads it) and libsnappy1v5. bash, sed, awk, hostname come with minbase.
packages="openjdk-17-jre-headless gosu gettext-base libjemalloc-dev libsnappy1v5"
suite=bookworm
# The Debian mirror apt is configured with here (deb822 .sources or a classic sources.list line).
mirror=$(
  {
    grep -hs -A3 '^URIs:' /etc/apt/sources.list.d/*.sources | awk '/^URIs:/ {print $2}'
    grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
  } | grep -E '/debian/?$' | head -1
) || true # no such line: the default below
mirror=${mirror:-http://deb.debian.org/debian}
rootfs_key=$(printf '%s\n' "$suite" minbase "$packages" flink:9999 | sha256sum | cut -c1-12)
rootfs_tar="$cache/jre17-$suite-$rootfs_key.tar"
if [ ! -f "$rootfs_tar" ]; then
  command -v debootstrap >/dev/null || {
    log "installing debootstrap with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  } || fail "step 'install debootstrap' failed: run 'apt-get install debootstrap'"
  root=$(mktemp -d "$cache/.rootfs.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  log "debootstrap $suite (minbase) from $mirror into $root (a few minutes, once)"
  nice -n 10 debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
    fail "step 'debootstrap $suite from $mirror' failed; its log: $root.debootstrap.log (tail: $(tail -3 "$root.debootstrap.log" | tr '\n' ' '))"
  rm -f "$root.debootstrap.log"
  log "installing $packages in the rootfs"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # A private mount namespace: /proc (the JRE's postinst runs java) goes away with it, whatever happens.
  unshare --mount --propagation private -- bash -euc '
    root=$1; shift
    mount -t proc proc "$root/proc"
    chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin bash -euc "
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends $* >/dev/null
      apt-get clean
      groupadd --system --gid=9999 flink
      useradd --system --home-dir /opt/flink --uid=9999 --gid=flink flink
    "
  ' bash "$root" $packages >"$cache/.apt.log" 2>&1 ||
    fail "step 'apt-get install $packages' in the rootfs failed; its log: $cache/.apt.log (tail: $(tail -3 "$cache/.apt.log" | tr '\n' ' '))"
  rm -f "$cache/.apt.log"
  rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/var/log/"*.log "$root/tmp/"*
  : >"$root/etc/resolv.conf"
  chmod 755 "$root" # mktemp made it 0700, and it becomes the image's /
  tar -C "$root" --numeric-owner --xattrs -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$root"
  trap - EXIT
fi


# --- the Flink distribution from PyPI -------------------------------------------------------------
# apache-flink-libraries' sdist carries deps/{lib,opt,plugins} and deps/bin/bash-java-utils.jar (the
# pyflink package's jars); the apache-flink wheel carries pyflink/bin (Flink's shell scripts) and
# pyflink/conf. The official tarball's examples/ is in neither.
pypi="$cache/pypi/$version"
mkdir -p "$pypi"
pip=(python3 -m pip)
"${pip[@]}" --version >/dev/null 2>&1 || fail "step 'pip' failed: python3 -m pip is missing (apt-get install python3-pip)"
# 1.x sdists are named apache-flink-libraries-<v>, 2.x ones apache_flink_libraries-<v> (normalised).
sdist_of() { ls "$pypi"/apache[-_]flink[-_]libraries-"$version".tar.gz 2>/dev/null | head -1 || true; }
sdist=$(sdist_of)
if [ -z "$sdist" ]; then
  log "downloading apache-flink-libraries==$version (sdist, ~230 MB) from PyPI"
  "${pip[@]}" download -q --disable-pip-version-check --no-deps --no-binary :all: -d "$pypi" "apache-flink-libraries==$version" >&2 ||
    fail "step 'pip download apache-flink-libraries==$version' failed: PyPI does not serve it, or the network is down (see pip's message above)"
  sdist=$(sdist_of)
  [ -n "$sdist" ] || fail "step 'pip download apache-flink-libraries==$version' left no sdist in $pypi"
fi
wheel=$(ls "$pypi"/apache_flink-"$version"-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  log "downloading apache-flink==$version (wheel) from PyPI"
  # Any CPython wheel will do: only its shell scripts and configuration are used.
  "${pip[@]}" download -q --disable-pip-version-check --no-deps --only-binary :all: -d "$pypi" "apache-flink==$version" >&2 ||
    fail "step 'pip download apache-flink==$version' failed: PyPI serves no wheel of it for this Python ($(python3 --version 2>&1)), or the network is down"
  wheel=$(ls "$pypi"/apache_flink-"$version"-*.whl | head -1)
fi

work=$(mktemp -d "$cache/.flink-$version.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
flink="$root/opt/flink"
mkdir -p "$root"
log "laying out /opt/flink on the JRE rootfs"
tar -C "$root" --numeric-owner -xf "$rootfs_tar"
chmod 755 "$root" # / of the image: the user flink must traverse it
mkdir -p "$flink"/{bin,conf,lib,opt,plugins,log,licenses} "$work/sdist" "$work/wheel"
tar -C "$work/sdist" --strip-components=1 --wildcards -xzf "$sdist" '*/deps' '*/LICENSE' '*/NOTICE' ||
  fail "step 'unpack $sdist' failed: not the layout this script knows (deps/lib, deps/opt, deps/plugins)"
cp -a "$work/sdist/deps/lib/." "$flink/lib/"
cp -a "$work/sdist/deps/opt/." "$flink/opt/"
cp -a "$work/sdist/deps/plugins/." "$flink/plugins/"
[ -d "$work/sdist/deps/licenses" ] && cp -a "$work/sdist/deps/licenses/." "$flink/licenses/"
cp "$work/sdist/LICENSE" "$work/sdist/NOTICE" "$flink/"
jar=$(find "$work/sdist/deps" -name bash-java-utils.jar | head -1)
[ -n "$jar" ] || fail "step 'find bash-java-utils.jar' failed: not in $sdist"
cp "$jar" "$flink/bin/"
python3 -m zipfile -e "$wheel" "$work/wheel" || fail "step 'unpack $wheel' failed"
[ -f "$work/wheel/pyflink/bin/config.sh" ] || fail "step 'find pyflink/bin/config.sh' failed: not in $wheel"
# The distribution's bin/ has the shell scripts and `flink`; the Windows and Python UDF runners are the
# Python package's own.
for f in "$work/wheel/pyflink/bin/"*; do
  case "$(basename "$f")" in *.bat | pyflink-udf-runner.sh) ;; *) cp "$f" "$flink/bin/" ;; esac
done
chmod 755 "$flink/bin/"*.sh "$flink/bin/flink"
cp -a "$work/wheel/pyflink/conf/." "$flink/conf/"

# As the official Dockerfile: REST and RPC bind to the container's interface, not localhost. Its
# config-parser-utils.sh rewrites config.yaml (Flink 1.19+); an older flink-conf.yaml is edited by sed.
if [ -f "$flink/conf/config.yaml" ]; then
  FLINK_CONF_DIR="$flink/conf" bash "$flink/bin/config-parser-utils.sh" "$flink/conf" "$flink/bin" "$flink/lib" \
    -repKV rest.address,localhost,0.0.0.0 -repKV rest.bind-address,localhost,0.0.0.0 \
    -repKV jobmanager.bind-host,localhost,0.0.0.0 -repKV taskmanager.bind-host,localhost,0.0.0.0 \
    -rmKV taskmanager.host=localhost >"$work/config.log" 2>&1 ||
    fail "step 'config-parser-utils.sh on conf/config.yaml' failed (needs java on PATH): $(tail -3 "$work/config.log" | tr '\n' ' ')"
else
  sed -i -e 's/rest.address: localhost/rest.address: 0.0.0.0/g' -e 's/rest.bind-address: localhost/rest.bind-address: 0.0.0.0/g' \
    -e 's/jobmanager.bind-host: localhost/jobmanager.bind-host: 0.0.0.0/g' \
    -e 's/taskmanager.bind-host: localhost/taskmanager.bind-host: 0.0.0.0/g' -e '/taskmanager.host: localhost/d' \
    "$flink/conf/flink-conf.yaml"
fi
chown -R 9999:9999 "$flink"
install -m 755 "$here/flink-image/docker-entrypoint.sh" "$root/docker-entrypoint.sh"
# eclipse-temurin (the official base) has Java at /opt/java/openjdk and JAVA_HOME pointing there.
mkdir -p "$root/opt/java"
ln -sfn /usr/lib/jvm/java-17-openjdk-amd64 "$root/opt/java/openjdk"

# --- class-data sharing archives: a JobManager's classes, BashJavaUtils' ---------------------------
# A JobManager of this image, started by the image's own scripts and JRE in its rootfs, writes the
# classes it loaded until its REST API answered into a dynamic CDS archive when SIGTERM ends it; every
# JVM of the image's pods names it (JAVA_TOOL_OPTIONS, below) and maps those classes instead of
# parsing and verifying them again: a JobManager's CPU to REST-ready drops by about two fifths.
# The JVM takes the archive only where it was made for: the JRE's default archive (its base) as in the
# image; an app classpath starting with the dump's, each jar of the same size and mtime. Flink's scripts
# give JobManagers and TaskManagers, in every way they are started (flink-console.sh: native,
# standalone, operator; bin/flink too) the classpath constructFlinkClassPath makes of lib/, so one
# archive serves them all; mtimes are set to what oci-archive.sh packs (--mtime=@0) before the dump.
cds_archive=/opt/flink/cds/flink.jsa
# Runs a command in the rootfs, in a private mount namespace with /proc (java needs it to find its
# libraries), which goes away with it.
in_rootfs() {
  unshare --mount --propagation private -- bash -euc 'root=$1; shift; mount -t proc proc "$root/proc"; chroot "$root" "$@"' bash "$root" "$@"
}
command -v ip >/dev/null || fail "step 'CDS training' needs ip (iproute2) to give the training JobManager its own loopback"
if [ ! -f "$root/usr/lib/jvm/java-17-openjdk-amd64/lib/server/classes.jsa" ]; then
  # Debian's JRE ships it; a dynamic archive cannot be made or used without it.
  log "making the JRE's default CDS archive (java -Xshare:dump)"
  in_rootfs /usr/bin/env -i /usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xshare:dump >"$work/cds-base.log" 2>&1 ||
    fail "step 'java -Xshare:dump' in the rootfs failed: $(tail -3 "$work/cds-base.log" | tr '\n' ' ')"
fi
mkdir -p "$root${cds_archive%/*}"
chown 9999:9999 "$root${cds_archive%/*}"
find "$flink" -exec touch -h -d @0 {} +
log "training a JobManager and BashJavaUtils for the CDS archives in ${cds_archive%/*}"
# A private mount, PID and network namespace: /proc and the JobManager (ports 6123, 8081 on its own
# loopback) go away with it, whatever happens. As the user flink, with the image's ENV and only the
# JobManager's JVM dumping (FLINK_ENV_JAVA_OPTS_JM: not the scripts' BashJavaUtils JVMs).
unshare --mount --propagation private --pid --net --fork -- bash -euc '
  root=$1 archive=$2
  ip link set lo up
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH=/opt/flink/bin:/opt/java/openjdk/bin:/usr/sbin:/usr/bin:/sbin:/bin JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8 FLINK_HOME=/opt/flink JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1 \
    FLINK_ENV_JAVA_OPTS_JM="-XX:ArchiveClassesAtExit=$archive" gosu flink bash -euc "
    cd /opt/flink
    bin/jobmanager.sh start-foreground >/tmp/cds-training.log 2>&1 &
    pid=\$!
    # Ready when REST answers; at most 3 min on a busy machine.
    for _ in \$(seq 1 1800); do
      kill -0 \$pid 2>/dev/null || { echo \"the JobManager exited before its REST API answered\"; cat /tmp/cds-training.log; exit 1; }
      if (exec 3<>/dev/tcp/127.0.0.1/8081 && printf \"GET /v1/config HTTP/1.0\\r\\n\\r\\n\" >&3 && head -1 <&3 | grep -q \" 200 \") 2>/dev/null; then
        # The classpath the archive holds, for the check below.
        tr \"\\0\" \"\\n\" </proc/\$pid/cmdline | grep -A1 -x -- -classpath | tail -1 >/tmp/cds-classpath
        kill -TERM \$pid
        wait \$pid || true
        exit 0
      fi
      sleep 0.1
    done
    echo \"the JobManager REST API did not answer within 3 min\"; kill -KILL \$pid; cat /tmp/cds-training.log; exit 1
  "
' bash "$root" "$cds_archive" >"$work/cds-training.log" 2>&1 ||
  fail "step 'CDS training' failed: $(tail -5 "$work/cds-training.log" | tr '\n' ' ')"
[ -s "$root$cds_archive" ] || fail "step 'CDS training' left no archive $cds_archive: $(tail -5 "$root/tmp/cds-training.log" | tr '\n' ' ')"
# The pods' classpath maps it: -Xshare:on refuses to start otherwise.
cds_classpath=$(cat "$root/tmp/cds-classpath")
[[ $cds_classpath == /opt/flink/lib/*flink-dist* ]] || fail "step 'CDS training' read no classpath from the JobManager (got '$cds_classpath')"
in_rootfs /usr/bin/env -i /opt/java/openjdk/bin/java -Xshare:on "-XX:SharedArchiveFile=$cds_archive" -cp "$cds_classpath" -version >"$work/cds-check.log" 2>&1 ||
  fail "step 'CDS check' failed: the JobManager's classpath does not map $cds_archive: $(tail -3 "$work/cds-check.log" | tr '\n' ' ')"
# BashJavaUtils, which Flink's scripts run before every JobManager and TaskManager (its output is
# their memory settings and configuration), has a classpath of its own, bash-java-utils.jar and
# flink-dist, which the archive above does not fit: it gets an archive of its own, made by one run of
# it, named on its command line in bash-java-utils.sh (the only change to Flink's scripts), where it
# overrides JAVA_TOOL_OPTIONS' archive. Its CPU: about 0.32 rather than 0.5 s each.
bju_archive=/opt/flink/cds/bash-java-utils.jsa
bju_classpath="/opt/flink/bin/bash-java-utils.jar:$(cd "$root" && ls opt/flink/lib/flink-dist*.jar | sed 's#^#/#')"
bju_script="$flink/bin/bash-java-utils.sh"
bju_call='"${JAVA_RUN}" -classpath "${class_path}" org.apache.flink.runtime.util.bash.BashJavaUtils'
[ "$(grep -cF "$bju_call" "$bju_script")" = 1 ] ||
  fail "step 'CDS for BashJavaUtils' failed: $bju_script does not run BashJavaUtils as '$bju_call' once"
in_rootfs /usr/bin/env -i JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1 /usr/sbin/gosu flink /opt/java/openjdk/bin/java \
  "-XX:ArchiveClassesAtExit=$bju_archive" -classpath "$bju_classpath" org.apache.flink.runtime.util.bash.BashJavaUtils \
  GET_TM_RESOURCE_PARAMS --configDir /opt/flink/conf >"$work/cds-bju.log" 2>&1 ||
  fail "step 'CDS training of BashJavaUtils' failed: $(tail -3 "$work/cds-bju.log" | tr '\n' ' ')"
in_rootfs /usr/bin/env -i /opt/java/openjdk/bin/java -Xshare:on "-XX:SharedArchiveFile=$bju_archive" -cp "$bju_classpath" -version >"$work/cds-check.log" 2>&1 ||
  fail "step 'CDS check' failed: BashJavaUtils' classpath does not map $bju_archive: $(tail -3 "$work/cds-check.log" | tr '\n' ' ')"
sed -i "s#${bju_call//\$/\\\$}#\"\${JAVA_RUN}\" -XX:SharedArchiveFile=$bju_archive -classpath \"\${class_path}\" org.apache.flink.runtime.util.bash.BashJavaUtils#" "$bju_script"
grep -qF -- "-XX:SharedArchiveFile=$bju_archive -classpath" "$bju_script" ||
  fail "step 'CDS for BashJavaUtils' failed: $bju_script does not name $bju_archive after the edit"
# What the training left besides the archive: its log files, pid file and temporary folders.
rm -rf "$flink/log/"* "$root/tmp/"* "$root/tmp/".[!.]* 2>/dev/null || true

# The official image's config: ENV, WORKDIR, EXPOSE, ENTRYPOINT, CMD. Flink 2's image also runs as the
# user flink (USER flink; its entrypoint no longer steps down with gosu), 1.x's as root, stepping down.
user=""
[ "$major" -ge 2 ] && user='"User":"flink",'
# One ENV the official image does not have: every JVM of its pods compiles with C1 only, as the local
# Flink JVMs of the tests do (vitest.config.ts, FLINK_ENV_JAVA_OPTS, which pods do not take): C2's
# compiler threads cost a JobManager living a few minutes a third of its CPU on a 2-core machine. Each
# JVM says "Picked up JAVA_TOOL_OPTIONS" on stderr once. A production image would not set it.
# It also names the JobManager's CDS archive above. The JVMs whose classpath does not start with that
# archive's (config.sh's `java -XshowSettings:properties`, those of a pod whose lib/ was changed) use
# the JRE's default archive alone, and -Xlog:cds...=error keeps them from saying so in a
# "[warning][cds,dynamic] Unable to use shared archive" line on stdout, which would land in logs the
# tests read and, from BashJavaUtils, in output Flink's scripts parse and put in the JobManager's log.
java_tool_options="-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$cds_archive -Xlog:cds=error,cds+dynamic=error"
config="$user\"Env\":[\"PATH=/opt/flink/bin:/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"JAVA_HOME=/opt/java/openjdk\",\"LANG=C.UTF-8\",\"FLINK_HOME=/opt/flink\",\"JAVA_TOOL_OPTIONS=$java_tool_options\"],\"WorkingDir\":\"/opt/flink\",\"ExposedPorts\":{\"6123/tcp\":{},\"8081/tcp\":{}},\"Entrypoint\":[\"/docker-entrypoint.sh\"],\"Cmd\":[\"help\"]"
log "writing the OCI archive $archive"
bash "$here/oci-archive.sh" "$root" "$name" "$config" "$archive"
echo "$recipe" >"$archive.recipe"
echo "$archive"
