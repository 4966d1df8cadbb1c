#!/usr/bin/env bash
# Builds the Apache Flink Kubernetes Operator from its release source (vendor/, committed: the release
# is not on Maven Central) with Maven, once: the shaded operator jar, the standalone-mode jar, the log4j
# jars the operator's pom copies beside them, the helm chart's conf folder and the CRDs are cached under
# ${XDG_CACHE_HOME:-~/.cache}/sluice/kubernetes/operator-<version>, keyed by the version, so a warm run
# builds nothing. Maven keeps its downloads in ~/.m2 (cold: ~400 MB). Prints the cache folder last.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

version=1.15.0
source_tarball="$here/vendor/flink-kubernetes-operator-release-$version-src.tar.gz"
source_sha256=5df540cc2276f2f29e6aef03a5ccb3fbfb72cbc7e2725762267b21107127a53c

cache="${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kubernetes/operator-$version"
log() { echo "operator build: $*" >&2; }

# .complete is written last: a build cut short is done again.
if [ -f "$cache/.complete" ]; then
  echo "$cache"
  exit 0
fi

for tool in java mvn tar sha256sum; do
  command -v "$tool" >/dev/null || {
    echo "operator build: '$tool' is missing; the operator builds with a JDK 11+ and Maven 3.8+ (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
    exit 1
  }
done
[ -f "$source_tarball" ] || { echo "operator build: the source $source_tarball is missing" >&2; exit 1; }
echo "$source_sha256  $source_tarball" | sha256sum -c --quiet - >&2 || {
  echo "operator build: $source_tarball is not the release-$version source it should be (sha256 differs)" >&2
  exit 1
}

work="$cache/build"
rm -rf "$work"
mkdir -p "$work"
tar xzf "$source_tarball" -C "$work"
src="$work/flink-kubernetes-operator-$version"

log "building the Flink Kubernetes Operator $version with Maven (cold: ~400 MB of downloads and several minutes; warm ~1 min)"
started=$(date +%s)
cd "$src"
# -Dmaven.antrun.skip: the api module's CRD compatibility check would download the old CRDs from
# GitHub. The other skips leave out checks and documents a test cluster does not need.
nice -n 10 mvn -B -q -pl flink-kubernetes-operator -am package \
  -DskipTests -Dcheckstyle.skip -Dspotless.check.skip -Dspotless.apply.skip -Drat.skip \
  -Dmaven.javadoc.skip -Dcyclonedx.skip -Djapicmp.skip -Dmaven.source.skip -Dmaven.antrun.skip=true >&2
log "Maven build took $(($(date +%s) - started)) s"

out="$cache/new"
rm -rf "$out"
mkdir -p "$out/lib" "$out/log4j" "$out/crds" "$out/conf"
cp "flink-kubernetes-operator/target/flink-kubernetes-operator-$version-shaded.jar" "$out/lib/"
cp "flink-kubernetes-standalone/target/flink-kubernetes-standalone-$version.jar" "$out/lib/"
cp flink-kubernetes-operator/target/log4j/*.jar "$out/log4j/"
cp helm/flink-kubernetes-operator/crds/*.yml "$out/crds/"
cp helm/flink-kubernetes-operator/conf/* "$out/conf/"
cd "$cache"
for d in lib log4j crds conf; do
  rm -rf "$cache/$d"
  mv "$out/$d" "$cache/$d"
done
rm -rf "$out" "$work"
touch "$cache/.complete"
echo "$cache"
