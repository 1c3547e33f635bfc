#!/usr/bin/env bash
# Scores clashmap's extraction against a gold corpus: `extract --no-merge` of its
# articles, then its scorer. Prints the scorer's diagnostics (MISSED / partial / EXTRA,
# on stderr) and the figures.
#
#   scripts/eval.sh [GOLD_DIR]        default ../shared/dev (articles/, gold.csv, score.py)
#   scripts/eval.sh --check [GOLD_DIR]  also fail (exit 1) when a figure is more than
#                                       2 points below tests/accuracy-ratchet.json
#
# Environment: CLASHMAP (the binary; default: a release build of this checkout).
# The development corpus is for evaluation only: it is read from where it lies, never
# copied into the project.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
gold_dir=${1:-../shared/dev}
if [ ! -f "$gold_dir/gold.csv" ] || [ ! -d "$gold_dir/articles" ]; then
  echo "eval: no gold corpus at $gold_dir (gold.csv and articles/ expected)" >&2
  exit 2
fi
scorer="$gold_dir/score.py"
[ -f "$scorer" ] || scorer=../shared/dev/score.py

bin=${CLASHMAP:-}
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet --bin clashmap
  bin=target/release/clashmap
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" extract --no-merge "$gold_dir/articles" -o "$work/pred.geojson"
python3 "$scorer" "$gold_dir/gold.csv" "$work/pred.geojson" --json > "$work/score.txt"
tail -n 1 "$work/score.txt"

# Events placed outside Afghanistan (the dev corpus's country): each is named.
python3 - "$work/pred.geojson" <<'PYEOF'
import json, sys
fc = json.load(open(sys.argv[1], encoding="utf-8"))
out = [f for f in fc["features"]
       if f["geometry"] and f["properties"].get("country") not in (None, "Afghanistan")]
for f in out:
    p = f["properties"]
    print(f"  OUTSIDE {p['source']} {p.get('location_as_reported')} -> {p.get('location')}, {p.get('country')}", file=sys.stderr)
print(f"outside_afghanistan={len(out)}")
PYEOF

if [ "$check" = 1 ]; then
  python3 - "$work/score.txt" tests/accuracy-ratchet.json <<'PYEOF'
import json, sys
got = json.loads(open(sys.argv[1]).readline())
floor = json.load(open(sys.argv[2]))
bad = []
for key, want in floor["figures"].items():
    have = got[key] * 100
    status = "ok" if have >= want - 2.0 else "DROPPED"
    print(f"ratchet {key}: {have:.1f} (committed {want:.1f}) {status}")
    if status != "ok":
        bad.append(key)
if bad:
    print("eval: accuracy dropped more than 2 points below tests/accuracy-ratchet.json: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PYEOF
fi
