#!/usr/bin/env bash
# Opens the sample map and chart with the programs people view SVG in: librsvg
# (rsvg-convert fails on malformed SVG), xmllint, and a real browser (headless Debian
# Chromium: its DOM must hold no parsererror, and it takes a screenshot).
#
#   scripts/check-svg.sh [path/to/clashmap]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/clashmap}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "check-svg: FAILED: $*" >&2; exit 1; }

"$BIN" map data/articles -o "$out/map.svg" --chart "$out/chart.svg" 2>/dev/null
for f in map chart; do
  xmllint --noout "$out/$f.svg" || fail "$f.svg is not well-formed XML"
  rsvg-convert "$out/$f.svg" -o "$out/$f-rsvg.png" || fail "rsvg-convert cannot render $f.svg"
  [ -s "$out/$f-rsvg.png" ] || fail "rsvg-convert wrote nothing for $f.svg"
done

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || fail "no chromium"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$out/profile")
dom=$("$browser" "${flags[@]}" --dump-dom "file://$out/map.svg" 2>/dev/null)
grep -q "<svg" <<<"$dom" || fail "the browser shows no SVG document"
if grep -qi "parsererror" <<<"$dom"; then fail "the browser reports a parse error: $(grep -io 'parsererror.*' <<<"$dom" | head -c 300)"; fi
"$BIN" map data/articles -o "$out/small.svg" --width 800 2>/dev/null
"$browser" "${flags[@]}" --screenshot="$out/shot.png" --window-size=800,760 "file://$out/small.svg" >/dev/null 2>&1 || true
[ -s "$out/shot.png" ] || fail "the browser took no screenshot"
echo "check-svg: ok (xmllint, rsvg-convert, chromium $("$browser" --version 2>/dev/null | awk '{print $2}'))"
