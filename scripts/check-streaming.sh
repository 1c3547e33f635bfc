#!/usr/bin/env bash
# Proves that `extract --no-merge --format geojsonseq` streams: its peak memory on a
# 200 MB generated corpus is that on a 20 MB one (it does not grow with the corpus),
# for a folder of files and for the same articles in one JSON Lines file; and that `run` (which merges, through temporary files) stays under 256 MB on the
# 200 MB corpus (BENCHMARKS.md has 1 GB).
#
#   scripts/check-streaming.sh   (builds the release binary and the generator)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
build_clashmap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
peak() { # peak resident memory (KB) of a clashmap command
  python3 - "$@" <<'PYEOF'
import resource, subprocess, sys
with open("/dev/null", "wb") as null:
    r = subprocess.run(["target/release/clashmap"] + sys.argv[1:],
                       stdout=null, stderr=subprocess.PIPE)
if r.returncode != 0:
    sys.exit(r.stderr.decode())
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.stderr.decode().strip().splitlines()[-1])
PYEOF
}
target/release/examples/gen-corpus --mb 20 --out "$work/small"
small=$(peak extract --no-merge --format geojsonseq "$work/small")
target/release/examples/gen-corpus --mb 200 --out "$work/large"
large=$(peak extract --no-merge --format geojsonseq "$work/large")
echo "check-streaming: 20 MB: ${small}"
echo "check-streaming: 200 MB: ${large}"
s=${small%% *}; l=${large%% *}
# ten times the input; allow 25 % and 16 MB for caches that fill up
if [ "$l" -gt $(( s + s / 4 + 16384 )) ]; then
  echo "check-streaming: FAILED: peak memory grows with the corpus (${s} KB -> ${l} KB)" >&2
  exit 1
fi
echo "check-streaming: ok (peak ${s} KB -> ${l} KB)"
corpus_to_jsonl "$work/large" "$work/large.jsonl"
jsonl=$(peak extract --input-format jsonl --no-merge --format geojsonseq "$work/large.jsonl")
echo "check-streaming: 200 MB in one JSON Lines file: ${jsonl}"
j=${jsonl%% *}
if [ "$j" -gt $(( s + s / 4 + 16384 )) ]; then
  echo "check-streaming: FAILED: a JSON Lines file is held whole (${s} KB -> ${j} KB)" >&2
  exit 1
fi
echo "check-streaming: ok (JSON Lines peak ${j} KB)"
run=$(peak run "$work/large" --out "$work/run")
echo "check-streaming: run on 200 MB: ${run}"
r=${run%% *}
if [ "$r" -gt $(( 256 * 1024 )) ]; then
  echo "check-streaming: FAILED: run on 200 MB peaked at ${r} KB (limit 256 MB)" >&2
  exit 1
fi
echo "check-streaming: ok (run peak ${r} KB)"
