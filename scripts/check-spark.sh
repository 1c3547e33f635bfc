#!/usr/bin/env bash
# The README's Spark recipe, tested: Apache Spark (PyPI pyspark, local mode) pipes
# JSON Lines partitions through `clashmap extract --no-merge`, keys the reports by
# their merge group and merges each key's reports with `clashmap merge`; the events
# must be those of one `clashmap extract` run on the same articles, byte for byte.
#
#   scripts/check-spark.sh [MB]   (default 10; needs Java 17+, installs pyspark in a venv)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-10}
source scripts/lib.sh
build_clashmap
venv=$(python_venv spark pyspark pyspark==4.3.0)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen-corpus --mb "$mb" --out "$work/corpus" --seed 11 >/dev/null
corpus_to_jsonl "$work/corpus" "$work/articles.jsonl"
bin="$PWD/target/release/clashmap"
"$bin" extract --input-format jsonl --format geojsonseq "$work/articles.jsonl" > "$work/one-machine.geojsons"
"$venv/bin/python" scripts/spark_recipe.py "$bin" "$work/articles.jsonl" "$work/spark.geojsons" 8
n=$(wc -l < "$work/one-machine.geojsons")
if cmp -s "$work/one-machine.geojsons" "$work/spark.geojsons"; then
  echo "check-spark: ok ($n events, identical to one machine's run)"
else
  echo "check-spark: FAILED: Spark's events differ from one machine's run" >&2
  diff <(cut -c1-200 "$work/one-machine.geojsons") <(cut -c1-200 "$work/spark.geojsons") | head -20 >&2
  exit 1
fi
