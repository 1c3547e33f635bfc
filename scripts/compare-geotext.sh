#!/usr/bin/env bash
# Side by side on one generated corpus: PyPI geotext (which only spots place names) and
# clashmap extract (events: types, places geocoded, dates, actors, counts), each timed
# end to end from the files on disk; prints both throughputs and the ratio. Timings on
# a shared machine vary: the tools run in turn, three rounds, and each keeps its best.
#
#   scripts/compare-geotext.sh [MB]   (default 50; installs geotext in a venv)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-50}
source scripts/lib.sh
build_clashmap
venv=$(python_venv geotext geotext geotext==0.4.0)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen-corpus --mb "$mb" --out "$work/corpus" --seed 3 >/dev/null
bytes=$(find "$work/corpus" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
cat "$work"/corpus/*/*.txt > /dev/null  # both runs start from the page cache
geotext_run() {
"$venv/bin/python" - "$work/corpus" <<'PYEOF'
import pathlib, sys, time
from geotext import GeoText
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))
start = time.perf_counter()
names = 0
for p in files:
    g = GeoText(p.read_text(encoding="utf-8"))
    names += len(g.cities) + len(g.countries)
took = time.perf_counter() - start
print(f"{took:.3f}")
print(f"geotext: {len(files)} files, {names} place names", file=sys.stderr)
PYEOF
}
run_clashmap() { # seconds of a run, $@ its extra arguments
  local start end
  start=$(date +%s.%N)
  target/release/clashmap "$@" extract --no-merge --format geojsonseq "$work/corpus" > "$work/out.geojsons" 2> "$work/err"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
best() { printf '%s\n' "$@" | sort -g | head -1; }
g=(); o=(); a=()
for round in 1 2 3; do
  g+=("$(geotext_run 2>/dev/null)")
  o+=("$(run_clashmap -j 1)")
  a+=("$(run_clashmap)")
done
geotext_s=$(best "${g[@]}"); one=$(best "${o[@]}"); all=$(best "${a[@]}")
echo "rounds (s): geotext ${g[*]}; clashmap -j 1 ${o[*]}; clashmap ${a[*]}"
tail -1 "$work/err"
mbps() { echo "scale=1; $bytes / 1048576 / $1" | bc; }
echo "corpus: $bytes bytes"
echo "geotext (names only):             ${geotext_s} s, $(mbps "$geotext_s") MiB/s"
echo "clashmap extract, 1 thread:       ${one} s, $(mbps "$one") MiB/s, $(echo "scale=2; $geotext_s / $one" | bc)x geotext"
echo "clashmap extract, $(nproc) threads:      ${all} s, $(mbps "$all") MiB/s, $(echo "scale=2; $geotext_s / $all" | bc)x geotext"
