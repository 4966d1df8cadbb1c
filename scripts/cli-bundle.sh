# Sourced by bin/sluice and scripts/prerequisites.sh. The CLI's bundle (scripts/build-cli.mjs) is
# fresh when it exists and none of its inputs (listed beside it) is newer or gone.
cli_bundle_fresh() {
  local root=$1 inputs newer
  [ -f "$root/dist/cli/sluice.mjs" ] && mapfile -t inputs <"$root/dist/cli/sluice.inputs" 2>/dev/null &&
    [ ${#inputs[@]} -gt 0 ] || return 1
  # A missing input (deleted, renamed) fails find: stale as well.
  newer=$(cd "$root" && find "${inputs[@]}" -maxdepth 0 -newer dist/cli/sluice.mjs -print -quit 2>/dev/null) &&
    [ -z "$newer" ]
}
