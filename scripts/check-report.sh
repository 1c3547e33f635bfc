#!/usr/bin/env bash
# Converts the brief of a run (report.md) with pandoc to Word and to HTML, as a user
# would, and checks what the reader sees: a title (no pandoc warning), the map and
# the timeline embedded in both, an events table whose columns have different
# widths, and a Type column wide enough for its longest word in Word's 12 pt table
# text (no word broken across lines).
#
#   scripts/check-report.sh [path/to/clashmap] [articles folder...]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/debug/clashmap}")
shift || true
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  inputs=(tests/fixtures/articles)
  [ -d ../shared/dev/articles ] && inputs+=(../shared/dev/articles)
fi
command -v pandoc >/dev/null || { echo "check-report: pandoc is not installed" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "check-report: FAILED: $*" >&2; exit 1; }
# pandoc 2.19 renamed --self-contained to --embed-resources
if pandoc --help | grep -q -- --embed-resources; then embed=--embed-resources; else embed=--self-contained; fi
k=0
for input in "${inputs[@]}"; do
  k=$((k + 1))
  dir="$out/run$k"
  "$BIN" run "$input" --out "$dir" 2>/dev/null
  (cd "$dir" && pandoc report.md -o report.docx 2>"$dir/docx.log") || fail "pandoc to docx: $(cat "$dir/docx.log")"
  (cd "$dir" && pandoc report.md -s $embed -o report.html 2>"$dir/html.log") || fail "pandoc to html: $(cat "$dir/html.log")"
  ! grep -qi "warning" "$dir/docx.log" "$dir/html.log" || fail "$input: pandoc warns: $(cat "$dir/docx.log" "$dir/html.log")"
  python3 - "$dir" "$input" <<'PYEOF'
import re, sys, zipfile
d, name = sys.argv[1], sys.argv[2]
def fail(msg):
    print(f"check-report: FAILED: {name}: {msg}", file=sys.stderr)
    sys.exit(1)
z = zipfile.ZipFile(f"{d}/report.docx")
media = [n for n in z.namelist() if n.startswith("word/media/")]
if len(media) < 2:
    fail(f"docx embeds {media}, not the map and the timeline")
doc = z.read("word/document.xml").decode()
grids = [re.findall(r'w:w="(\d+)"', g) for g in re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", doc)]
if not grids:
    fail("docx has no table")
widths = [int(w) for w in grids[0]]
if len(set(widths)) < 2:
    fail(f"the events table's columns are all as wide: {widths}")
# the Type column: its longest unbreakable word (breaks at spaces and the zero-width
# spaces after slashes) in 12 pt text, about 120 twips a character, plus the cells'
# margins (2 x 108 twips)
md = open(f"{d}/report.md", encoding="utf-8").read()
table = md.split("## Events", 1)[1].split("\n\n## ", 1)[0]
rows = [l for l in table.splitlines() if l.startswith("| ") and not l.startswith("| Date")]
header = [c.strip() for c in [l for l in table.splitlines() if l.startswith("| Date")][0].strip("|").split("|")]
t = header.index("Type")
words = [w for r in rows for w in re.split(r"[\s\u200b]+", r.strip("|").split("|")[t]) if w]
longest = max(words, key=len)
need = len(longest) * 120 + 216
if widths[t] < need:
    fail(f"the Type column is {widths[t]} twips; {longest!r} needs {need}")
html = open(f"{d}/report.html", encoding="utf-8").read()
if len(re.findall(r'<img src="data:image/', html)) < 2:
    fail("the HTML does not embed the map and the timeline")
if "<title>" not in html or "Armed clashes" not in html.split("<title>", 1)[1][:200]:
    fail("the HTML has no title")
print(f"check-report: {name}: {len(rows)} rows, widths {widths}, Type {widths[t]} twips >= {need} for {longest!r}")
PYEOF
done
echo "check-report: ok"
