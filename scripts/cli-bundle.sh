# Sourced by bin/sluice and scripts/prerequisites.sh. A bundle of the sluice command
# (scripts/build-cli.mjs: `cli`, the default, or `server`) is fresh when it exists and none of its inputs
# (listed beside it) is newer or gone.
cli_bundle_fresh() {
  local root=$1 which=${2:-cli} inputs newer
  [ -f "$root/dist/$which/sluice.mjs" ] && mapfile -t inputs <"$root/dist/$which/sluice.inputs" 2>/dev/null &&
    [ ${#inputs[@]} -gt 0 ] || return 1
  # A missing input (deleted, renamed) fails find: stale as well.
  newer=$(cd "$root" && find "${inputs[@]}" -maxdepth 0 -newer "dist/$which/sluice.mjs" -print -quit 2>/dev/null) &&
    [ -z "$newer" ]
}
