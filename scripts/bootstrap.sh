# Sourced by the scripts: makes sure uv exists and the environment matches uv.lock.
# Installs the project itself non-editable, so everything runs what users get.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if command -v uv >/dev/null 2>&1; then
  UV=(uv)
elif python3 -m uv --version >/dev/null 2>&1; then
  UV=(python3 -m uv)
else
  echo "Installing uv with pip..." >&2
  python3 -m pip install --quiet --disable-pip-version-check uv >&2
  UV=(python3 -m uv)
fi
"${UV[@]}" sync --frozen --no-editable --quiet
