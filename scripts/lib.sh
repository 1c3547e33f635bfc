# Shared by the scripts that run clashmap beside a Python tool (sourced, not run).
#
#   python_venv NAME MODULE PACKAGE   prints the folder of a virtual environment
#                                     ($TMPDIR/clashmap-NAME-venv) that imports MODULE,
#                                     installing PACKAGE from PyPI when it does not
#   build_clashmap                    the release binary and the corpus generator
#   corpus_to_jsonl DIR FILE          the generated articles of DIR as JSON Lines (id,
#                                     date, title, text), as an archive would hold them

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

corpus_to_jsonl() {
  python3 - "$1" "$2" <<'PYEOF'
import json, pathlib, sys
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
        head, _, text = p.read_text(encoding="utf-8").partition("\n")
        date, title = head.split()[1], " ".join(head.split()[2:])
        out.write(json.dumps({"id": p.name, "date": date, "title": title, "text": text}, ensure_ascii=False) + "\n")
PYEOF
}
