"""clashmap as a stage of Apache Spark: extraction per partition, merging per key.

    spark_recipe.py CLASHMAP ARTICLES.jsonl OUT.geojsons [PARTITIONS]

1. The articles (JSON Lines: id, text, date, ...) are cut into partitions; each is
   piped through `clashmap extract --input-format jsonl --no-merge --format
   geojsonseq -` (rdd.pipe): one unmerged report per line.
2. The reports are keyed and grouped. The key is built from the report's
   `merge_group`: the cluster of gazetteer places its place belongs to (places chained
   less than 10 km apart), or its unresolved name. Reports of different groups never
   merge, so every event's reports meet in one group and the result is exactly one
   machine's. (Keys by province and week, the obvious choice, split an event whose
   places lie either side of a province border, or whose reports' days straddle a
   week: `check-spark.sh` found both in a 10 MB corpus.) The groups are hashed into
   PARTITIONS keys, so that each `clashmap merge` gets a fair share.
3. Each key's reports are merged by `clashmap merge --format geojsonseq -`, and the
   events are written sorted as clashmap sorts them (by first day, then id).
"""

import json
import subprocess
import sys
import zlib

from pyspark.sql import SparkSession


def keyed(partitions):
    def key(line):
        group = json.loads(line.lstrip("\x1e"))["properties"]["merge_group"]
        # a hash that is the same in every worker (Python's own is salted per process)
        return zlib.crc32(group.encode()) % partitions, line
    return key


def merge_group(clashmap):
    def run(item):
        _, lines = item
        text = "".join(line + "\n" for line in lines)
        out = subprocess.run(
            [clashmap, "merge", "--format", "geojsonseq", "-"],
            input=text.encode(), capture_output=True, check=True,
        )
        # split on newlines only: str.splitlines would also cut at the RS (\x1e)
        return filter(None, out.stdout.decode().split("\n"))
    return run


def sort_key(event):
    props = json.loads(event.lstrip("\x1e"))["properties"]
    start = props.get("date_start")
    return (start is None, start or "", props["event_id"])


def main():
    clashmap, articles, out = sys.argv[1:4]
    partitions = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    spark = (SparkSession.builder.master("local[2]").appName("clashmap")
             .config("spark.ui.enabled", "false").getOrCreate())
    sc = spark.sparkContext
    reports = (sc.textFile(articles, minPartitions=partitions)
               .pipe(f"{clashmap} extract --input-format jsonl --no-merge --format geojsonseq -")
               .filter(lambda line: line.strip()))
    events = (reports.map(keyed(partitions))
              .groupByKey()
              .flatMap(merge_group(clashmap))
              .collect())
    with open(out, "w", encoding="utf-8") as f:
        for e in sorted(events, key=sort_key):
            f.write(e + "\n")
    print(f"spark: {reports.count()} reports, {len(events)} events", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
