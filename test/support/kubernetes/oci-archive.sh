#!/usr/bin/env bash
# Writes a single-layer OCI image archive from a root folder, for `ctr images import` (no registry
# here: pods use imagePullPolicy Never). Usage: oci-archive.sh ROOTFS NAME PROCESS_JSON OUT.tar, where
# PROCESS_JSON is the image config's Entrypoint and/or Cmd, e.g. '"Cmd":["/bin/sh"]', and any other of its
# fields (Env, WorkingDir, User, ExposedPorts); without an Env the image gets a PATH alone.
set -euo pipefail
rootfs=$1 name=$2 process=$3 out=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/blobs/sha256"

blob() { # moves a file into blobs/ under its digest, prints "digest size"
  local d s
  d=$(sha256sum "$1" | cut -d' ' -f1)
  s=$(stat -c %s "$1")
  mv "$1" "$work/blobs/sha256/$d"
  echo "$d $s"
}

# Owners are kept (an image's /opt/flink belongs to its user flink, 9999), by number.
tar -C "$rootfs" --numeric-owner --sort=name --mtime=@0 -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
read -r layer_digest layer_size < <(blob "$work/layer.tar")

[[ $process == *'"Env"'* ]] || process+=',"Env":["PATH=/bin:/usr/bin:/sbin:/usr/sbin"]'
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{$process},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
JSON
read -r config_digest config_size < <(blob "$work/config.json")

cat >"$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config_digest","size":$config_size},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:$layer_digest","size":$layer_size}]}
JSON
read -r manifest_digest manifest_size < <(blob "$work/manifest.json")

cat >"$work/index.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$manifest_digest","size":$manifest_size,"annotations":{"io.containerd.image.name":"$name","org.opencontainers.image.ref.name":"${name##*:}"}}]}
JSON
echo '{"imageLayoutVersion":"1.0.0"}' >"$work/oci-layout"
tar -C "$work" --numeric-owner --owner=0 --group=0 -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
