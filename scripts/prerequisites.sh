#!/usr/bin/env bash
# Installs what Sluice needs, idempotently: npm packages, Java 17, Maven, Prometheus and Alertmanager (and, with
# --test, PostgreSQL) from Debian's packages. Safe to run on every start; does nothing when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

apt_updated=false
apt_install() {
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    echo "sluice: missing $*; install these Debian packages and run again: $*" >&2
    exit 1
  fi
  local sudo=""; [ "$(id -u)" != 0 ] && sudo=sudo
  if [ "$apt_updated" = false ]; then $sudo apt-get update -qq; apt_updated=true; fi
  echo "sluice: installing $* with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "sluice: Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

java_ok() {
  command -v java >/dev/null || return 1
  case "$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)" in
    11 | 17 | 21) return 0 ;;
    *) return 1 ;;
  esac
}
java_ok || apt_install openjdk-17-jdk-headless
# Flink's SQL parser helper (syntax checks) is compiled against each engine's jars: a JDK, not a JRE.
command -v javac >/dev/null || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null || apt_install maven
# The embedded Prometheus Sluice runs (SLUICE_PROMETHEUS): Debian's server, without the node exporter
# it recommends, which Sluice does not use.
command -v prometheus >/dev/null || apt_install --no-install-recommends prometheus
# The embedded Alertmanager that routes alerts back to Sluice (SLUICE_ALERTMANAGER), with its amtool.
command -v prometheus-alertmanager >/dev/null || apt_install --no-install-recommends prometheus-alertmanager
# Artifacts built from a git repository are cloned with git.
command -v git >/dev/null || apt_install git
if [ "$want_test" = true ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt_install postgresql
fi
# The local Kubernetes builds its Flink images (test/support/kubernetes/flink-image.sh) from a
# debootstrap rootfs and the Flink distribution PyPI serves, downloaded with pip.
if [ "$want_test" = true ] && ! command -v debootstrap >/dev/null; then
  apt_install debootstrap
fi
if [ "$want_test" = true ] && ! python3 -m pip --version >/dev/null 2>&1; then
  apt_install python3-pip
fi
# The alert channels' e2e mails a real SMTP server it runs: Debian's aiosmtpd, under Debian's python3.
if [ "$want_test" = true ] && ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  apt_install python3-aiosmtpd
fi
# The LDAP sign-in tests run a private OpenLDAP server (test/support/ldap.ts): Debian's slapd, loaded with
# ldapadd from ldap-utils. The system's own slapd that Debian may start on installing is not used.
if [ "$want_test" = true ] && { [ ! -x /usr/sbin/slapd ] || ! command -v ldapadd >/dev/null; }; then
  apt_install slapd ldap-utils
fi
# The console's browser tests drive Debian's Chromium through playwright-core.
if [ "$want_test" = true ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
# Without a CJK font the zh-CN screenshots show empty boxes.
if [ "$want_test" = true ] && ! fc-list 2>/dev/null | grep -qi 'wqy\|noto.*cjk'; then
  apt_install fonts-wqy-zenhei
fi

# The API contract test runs schemathesis (from PyPI, every package pinned with its hashes) in a
# virtualenv of its own, made again only when the pinned requirements change.
if [ "$want_test" = true ]; then
  venv="${SLUICE_SCHEMATHESIS_VENV:-$HOME/.cache/sluice/schemathesis-venv}"
  requirements=test/contract/requirements.txt
  pinned=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ ! -x "$venv/bin/schemathesis" ] || [ "$(cat "$venv/.sluice-requirements" 2>/dev/null)" != "$pinned" ]; then
    command -v python3 >/dev/null || apt_install python3
    python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
    echo "sluice: installing schemathesis into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$requirements"
    echo "$pinned" > "$venv/.sluice-requirements"
  fi
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "sluice: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# The web console is built when it is missing or older than its sources: its own, and what it imports
# (the API contract, the typed client, the domain's shared rules and messages).
if [ ! -f dist/web/index.html ] || [ -n "$(find src/web src/client src/contract src/domain package-lock.json -newer dist/web/index.html -print -quit)" ]; then
  echo "sluice: building the web console" >&2
  npm run build:web --silent >/dev/null
fi

# The CLI and the server run from bundled files (bin/sluice also bundles them again when stale): built
# here first, so that the many CLIs and servers a test run starts at once do not each bundle them.
. scripts/cli-bundle.sh
for which in cli server; do
  if ! cli_bundle_fresh "$PWD" "$which"; then
    echo "sluice: bundling the $which" >&2
    node scripts/build-cli.mjs "$which"
  fi
done

# The OpenID Connect sign-in tests run a provider built from its Go module (test/support/oidc-provider),
# once per source and Go version into the test builds' cache. Its modules need Go 1.26 or newer, which
# Debian does not package (bookworm has 1.19): the machine's own Go builds it, or the OIDC tests say
# that it is missing.
if [ "$want_test" = true ]; then
  go_minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
  if [ "${go_minor:-0}" -ge 26 ]; then
    node_modules/.bin/tsx test/support/oidc.ts build >/dev/null
  else
    echo "sluice: Go 1.26 or newer is needed to build the OIDC test provider (found: $(go env GOVERSION 2>/dev/null || echo none)); test/e2e/oidc.test.ts will fail until it is installed" >&2
  fi
fi
