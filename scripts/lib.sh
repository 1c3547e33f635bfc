# Shared by the scripts that run clashmap beside a Python tool (sourced, not run).
#
#   python_venv NAME MODULE PACKAGE   prints the folder of a virtual environment
#                                     ($TMPDIR/clashmap-NAME-venv) that imports MODULE,
#                                     installing PACKAGE from PyPI when it does not
#   build_clashmap                    the release binary and the corpus generator

python_venv() {
  local venv="${TMPDIR:-/tmp}/clashmap-$1-venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import $2" 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q "$3" >&2
  fi
  echo "$venv"
}

build_clashmap() {
  cargo build --release --locked --quiet --bin clashmap --example gen-corpus
}
