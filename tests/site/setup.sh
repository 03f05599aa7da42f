# Sourced by check.sh and screenshots.sh: installs what the browser checks
# need when it is missing. Debian's chromium (a test cannot download a browser
# of its own), a Java runtime for the Nu Html Checker, and the npm packages
# pinned in package-lock.json.
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" > /dev/null
}
if [ ! -x "$chromium_bin" ]; then
  echo "== installing chromium"
  apt_install chromium
fi
if ! command -v java > /dev/null; then
  echo "== installing a Java runtime"
  apt_install default-jre-headless
fi
if ! command -v node > /dev/null; then
  echo "== installing node"
  apt_install nodejs npm
fi
# Each package of package.json at exactly its pinned version, or npm ci.
if ! node -e '
  const pkg = require(process.argv[1] + "/package.json");
  for (const [name, version] of Object.entries(pkg.devDependencies)) {
    if (require(`${process.argv[1]}/node_modules/${name}/package.json`).version !== version) process.exit(1);
  }' "$here" 2> /dev/null; then
  echo "== installing npm packages"
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
export CHROMIUM="$chromium_bin"
