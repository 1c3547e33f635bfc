#!/usr/bin/env bash
# Proves that extraction time grows linearly with the length of ONE article (#19):
# for single-article files of three shapes (one sentence repeated; places, days and
# counts cycling, which makes many reports; one endless line), 8 times the input must
# cost less than 12 times the time (best of two runs each). Then the 54 MB article of
# the issue must run in < 30 s with < 512 MB peak memory.
#
#   scripts/check-linear.sh   (builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
build_clashmap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PYEOF'
import csv, sys
out = sys.argv[1]
names = [r["asciiname"] for r in csv.DictReader(open("data/gazetteer/admin.csv"))
         if r["country_code"] == "AF" and r["kind"] in ("district", "province")]
def write(name, n, piece):
    with open(f"{out}/{name}.txt", "w") as f:
        f.write(" date 2019-09 one long article\n")
        for i in range(n):
            f.write(piece(i))
for scale, n in (("1x", 25000), ("8x", 200000)):
    write(f"repeat-{scale}", n, lambda i: "Aanval op Kunduz. ")
    write(f"cycle-{scale}", n, lambda i: f"Op {i % 28 + 1} september vielen {i % 50 + 1} doden bij een aanval op {names[i % len(names)]}. ")
    write(f"oneline-{scale}", n, lambda i: "the fighting near Herat went on and on ")
PYEOF
best() { # best wall time (s) of two runs of extract on a file
  python3 - "$1" <<'PYEOF'
import subprocess, sys, time
ts = []
for _ in range(2):
    t = time.perf_counter()
    r = subprocess.run(["target/release/clashmap", "extract", sys.argv[1]],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ts.append(time.perf_counter() - t)
    if r.returncode != 0:
        sys.exit(r.stderr.decode())
print(f"{min(ts):.3f}")
PYEOF
}
fail=0
for shape in repeat cycle oneline; do
  t1=$(best "$work/$shape-1x.txt")
  t8=$(best "$work/$shape-8x.txt")
  if python3 -c "import sys; sys.exit(0 if $t8 < 12 * $t1 else 1)"; then
    echo "check-linear: $shape: 1x ${t1} s, 8x ${t8} s: ok"
  else
    echo "check-linear: $shape: 1x ${t1} s, 8x ${t8} s: FAILED (8x the input costs 12x the time or more)" >&2
    fail=1
  fi
done
python3 -c "print(' date 2019-09 ' + 'Aanval op Kunduz. '*3000000)" > "$work/huge.txt"
python3 - "$work/huge.txt" <<'PYEOF' || fail=1
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(["target/release/clashmap", "extract", sys.argv[1]],
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
t = time.perf_counter() - t
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
ok = r.returncode == 0 and t < 30 and kb < 512 * 1024
print(f"check-linear: 54 MB single article: {t:.1f} s, peak {kb // 1024} MB: {'ok' if ok else 'FAILED'}",
      file=sys.stdout if ok else sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
exit $fail
