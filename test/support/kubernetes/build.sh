#!/usr/bin/env bash
# Builds what the local Kubernetes needs, only what is missing: the Debian packages of the node
# (apt-get), Kubernetes and etcd from Go modules, the pause image and a tiny test image. Binaries and
# image archives are cached under ${XDG_CACHE_HOME:-~/.cache}/sluice/kubernetes/<version>, keyed by the
# versions, so a warm run builds nothing; Go keeps its module and build caches in its default places.
# Prints the cache folder as its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

k8s_version=v1.34.4
staging_version=v0.34.4 # k8s.io/kubernetes v1.X.Y replaces its staging modules; the registry serves them as v0.X.Y
etcd_version=v3.6.4
pause_tag=3.10 # containerd's sandbox_image names it; the binary is Kubernetes' own build/pause/linux/pause.c

cache="${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kubernetes/$k8s_version"
bin="$cache/bin"
images="$cache/images"
mkdir -p "$bin" "$images"
log() { echo "k8s build: $*" >&2; }

# --- Debian packages of the node ---------------------------------------------------------------
need_pkgs=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in containerd runc containernetworking-plugins socat iptables busybox-static gcc libc6-dev openssl iproute2 util-linux debootstrap; do
  have "$p" || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "k8s build: missing Debian packages ${need_pkgs[*]}; the local Kubernetes needs root (namespaces, mounts, cgroups): run as root" >&2
    exit 1
  fi
  log "installing ${need_pkgs[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# --- Kubernetes from Go modules ----------------------------------------------------------------
# Debian 12's Go (1.19) is too old for Kubernetes 1.34; Go 1.21+ fetches the 1.24 toolchain the
# wrapper modules ask for by itself (GOTOOLCHAIN=auto, from the Go module proxy).
go_minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ -z "$go_minor" ] || [ "$go_minor" -lt 21 ]; then
  echo "k8s build: Go 1.21 or newer is needed to build Kubernetes (found: $(go env GOVERSION 2>/dev/null || echo none)); install it from https://go.dev/dl and put it on PATH" >&2
  exit 1
fi
components=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
missing=()
for c in "${components[@]}"; do [ -x "$bin/$c" ] || missing+=("$c"); done
if [ ${#missing[@]} -gt 0 ]; then
  # `go install k8s.io/kubernetes/cmd/...@version` is refused (its go.mod has replace directives), so a
  # wrapper module requires it and replaces each staging module (./staging/src/k8s.io/X in Kubernetes'
  # own go.mod) with the published X at the matching v0 version.
  mod="$cache/build/kubernetes"
  mkdir -p "$mod"
  cd "$mod"
  if [ ! -f .resolved ]; then
    log "resolving k8s.io/kubernetes $k8s_version"
    printf 'module sluice.local/kubernetes-build\n\ngo 1.24\n\nrequire k8s.io/kubernetes %s\n' "$k8s_version" >go.mod
    upstream_mod=$(go mod download -json "k8s.io/kubernetes@$k8s_version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    {
      echo
      grep -E '^\s*k8s\.io/[^ ]+ => \./staging/' "$upstream_mod" | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
      for c in "${components[@]}"; do echo "tool k8s.io/kubernetes/cmd/$c"; done
    } >>go.mod
    nice -n 10 go mod tidy
    touch .resolved # only now: a resolution cut short is done again
  fi
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=34 -X $pkg.gitTreeState=clean"
  done
  for c in "${missing[@]}"; do
    log "building $c (cold Go caches: many minutes)"
    CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$bin/$c.tmp" "k8s.io/kubernetes/cmd/$c"
    mv "$bin/$c.tmp" "$bin/$c"
  done
fi

# --- etcd: the Debian one (3.4) breaks the 1.34 API server's watches, so 3.6 from Go modules -----
if [ ! -x "$bin/etcd" ]; then
  mod="$cache/build/etcd"
  mkdir -p "$mod"
  cd "$mod"
  cat >main.go <<'GO'
// etcd's own main, built from its published module (go install refuses its replace directives).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  if [ ! -f .resolved ]; then
    printf 'module sluice.local/etcd-build\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$etcd_version" >go.mod
    nice -n 10 go mod tidy
    touch .resolved
  fi
  log "building etcd $etcd_version"
  CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" .
  mv "$bin/etcd.tmp" "$bin/etcd"
fi

# --- images: single-layer OCI archives, imported into containerd by `up` -------------------------
if [ ! -f "$images/pause.tar" ]; then
  pause_c=$(find "$(go env GOMODCACHE)/k8s.io/kubernetes@$k8s_version/build/pause/linux" -name pause.c | head -1)
  [ -n "$pause_c" ] || { echo "k8s build: pause.c not found in the k8s.io/kubernetes module" >&2; exit 1; }
  root=$(mktemp -d)
  gcc -Os -static -DVERSION="$pause_tag" -o "$root/pause" "$pause_c"
  strip "$root/pause"
  bash "$here/oci-archive.sh" "$root" "registry.k8s.io/pause:$pause_tag" '"Entrypoint":["/pause"]' "$images/pause.tar"
  rm -rf "$root"
fi
if [ ! -f "$images/busybox.tar" ]; then
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  # One link per applet, so `sh`, `wget`, `nc`... work as commands in pods.
  for a in $("$root/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
  bash "$here/oci-archive.sh" "$root" "sluice.local/busybox:test" '"Cmd":["/bin/sh"]' "$images/busybox.tar"
  rm -rf "$root"
fi

echo "$cache"
