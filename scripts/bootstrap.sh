# Sourced by scripts/demo, scripts/test and scripts/benchmark: finds uv, makes the project
# environment match uv.lock, and exports UV (the uv executable the scripts and
# tests/integration/test_packaging.py use).
#
# Nothing is installed outside the checkout, whatever python3 is (Debian's PEP 668 Python,
# another project's venv, pyenv's):
# - uv: the one on PATH (or in $UV) when it is recent enough; else a private copy in .tools/uv,
#   installed with `python3 -m pip install --target`, which writes only there (and so is
#   allowed on an externally managed Python).
# - Python: the python3 on PATH, unless UV_PYTHON names another. uv never downloads one.
# - The environment: .venv, unless UV_PROJECT_ENVIRONMENT names another; nanoctl editable in
#   it (the working tree runs; BOOTSTRAP_INSTALL=wheel installs a copy instead), with every
#   module compiled to bytecode now, so the first run is as fast as the second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_PRIVATE_VERSION=0.13.9 # the private copy: the uv this repository is tested with
UV_MINIMUM_VERSION=0.13.0 # an older uv on PATH is passed over for the private copy
export UV_PYTHON_DOWNLOADS=never
unset VIRTUAL_ENV # an activated venv is not ours: uv must neither use it nor warn about it

bootstrap_say() { echo "bootstrap: $*" >&2; }

# The interpreter: the python3 on PATH unless UV_PYTHON names another, handed to uv as the
# real executable (given a pyenv shim, uv would rebuild the environment on every run). A
# version request such as UV_PYTHON=3.12 goes to uv as it is.
bootstrap_python=${UV_PYTHON:-python3}
if command -v "$bootstrap_python" >/dev/null 2>&1; then
  if ! UV_PYTHON=$("$bootstrap_python" -c 'import sys; print(sys.executable)') ||
    [[ -z $UV_PYTHON ]]; then
    bootstrap_say "$bootstrap_python ($(command -v "$bootstrap_python")) does not run; put a" \
      "Python 3.11, 3.12 or 3.13 first on PATH, or set UV_PYTHON=/path/to/python3.12."
    exit 1
  fi
  export UV_PYTHON
fi

bootstrap_uv_is_recent() { # $1: a uv executable
  local version
  version=$("$1" --version 2>/dev/null) || return 1
  version=${version#uv }
  version=${version%% *}
  [[ $version =~ ^[0-9]+(\.[0-9]+)*$ ]] &&
    printf '%s\n%s\n' "$UV_MINIMUM_VERSION" "$version" | sort -V -C
}

bootstrap_install_private_uv() {
  local target=.tools/uv log=.tools/uv-install.log python=${UV_PYTHON:-} pip_python
  [[ -x $python ]] || python=$(command -v python3 || true)
  if [[ -z $python ]]; then
    bootstrap_say "no uv and no python3 on PATH; install uv, or put a Python 3.11+ on PATH."
    exit 1
  fi
  bootstrap_say "installing uv $UV_PRIVATE_VERSION into $target (private to this checkout)..."
  rm -rf "$target"
  mkdir -p .tools
  pip_python=$python
  if ! "$python" -m pip --version >/dev/null 2>&1; then
    # No pip in that Python (Debian without python3-pip): a private venv brings one.
    pip_python=.tools/pip-venv/bin/python
    [[ -x $pip_python ]] || "$python" -m venv .tools/pip-venv >"$log" 2>&1 || {
      bootstrap_say "$python has neither pip nor venv (see $log); install uv, or pip for" \
        "that Python (Debian/Ubuntu: apt-get install python3-pip), then run this again."
      exit 1
    }
  fi
  # --target writes only into .tools/uv: the interpreter and any venv stay as they are. The
  # variables undo user settings that would refuse or redirect the install.
  if ! PIP_REQUIRE_VIRTUALENV=0 PIP_USER=0 PIP_ROOT_USER_ACTION=ignore \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 \
    "$pip_python" -m pip install --quiet --no-warn-script-location \
    --target "$target" "uv==$UV_PRIVATE_VERSION" >"$log" 2>&1; then
    bootstrap_say "could not install uv with $pip_python -m pip (see $log); install uv" \
      "yourself and run this again."
    exit 1
  fi
}

UV=${UV:-$(command -v uv || true)}
if [[ -z $UV ]] || ! bootstrap_uv_is_recent "$UV"; then
  [[ -n $UV ]] && bootstrap_say "$UV is older than uv $UV_MINIMUM_VERSION: using a private uv."
  UV=$PWD/.tools/uv/bin/uv
  bootstrap_uv_is_recent "$UV" || bootstrap_install_private_uv
fi
export UV

if [[ ${BOOTSTRAP_INSTALL:-editable} == wheel ]]; then
  # What users get, for a benchmark: nanoctl built from src/ and installed as a copy, rebuilt
  # every time (uv's cache-keys track only the metadata, so a copy could otherwise be stale).
  "$UV" sync --frozen --compile-bytecode --quiet --no-editable --reinstall-package nanoctl
else
  "$UV" sync --frozen --compile-bytecode --quiet
  # The editable install runs the working tree: compile it too (uv compiled site-packages). A
  # file that does not compile is not our error to report: it fails where it is used.
  "$UV" run --frozen --no-sync python -m compileall -qq src tools || true
fi
