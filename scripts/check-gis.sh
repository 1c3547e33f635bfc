#!/usr/bin/env bash
# Opens clashmap's outputs the way a GIS user does, with the tools they use:
# GDAL (ogrinfo, ogr2ogr) and a GeoJSON schema validator (PyPI geojson-validator).
# Fails on any difference from what the event schema promises.
#
#   scripts/check-gis.sh [path/to/clashmap] [python-with-geojson-validator]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/clashmap}
PY=${2:-python3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$BIN" extract data/articles -o "$out/events.geojson" --distances "$out/distances.geojson"
"$BIN" extract data/articles --format csv -o "$out/events.csv"
"$BIN" extract data/articles --no-merge --format geojsonseq -o "$out/reports.geojsons"
n=$("$PY" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['features']))" "$out/events.geojson")
echo "check-gis: $n events"

fail() { echo "check-gis: FAILED: $*" >&2; exit 1; }

# GeoJSON: feature count and typed fields
info=$(ogrinfo -ro -al -so "$out/events.geojson")
grep -q "Feature Count: $n" <<<"$info" || fail "ogrinfo feature count of events.geojson: $info"
for f in event_date date_start date_end; do
  grep -Eq "^$f: Date" <<<"$info" || fail "$f is not a Date field: $(grep "^$f" <<<"$info")"
done
for f in fatalities fatalities_low fatalities_high geo_precision time_precision source_count year; do
  grep -Eq "^$f: Integer" <<<"$info" || fail "$f is not an Integer field: $(grep "^$f" <<<"$info")"
done
grep -Eq "^event_type: String" <<<"$info" || fail "event_type is not a String field"

# CSV with latitude/longitude
cinfo=$(ogrinfo -ro -al -so -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude "$out/events.csv")
grep -q "Feature Count: $n" <<<"$cinfo" || fail "ogrinfo feature count of events.csv: $cinfo"
grep -q "Geometry: Point" <<<"$cinfo" || fail "events.csv has no point geometry: $cinfo"

# both to GeoPackage
ogr2ogr -f GPKG "$out/from_geojson.gpkg" "$out/events.geojson"
ogr2ogr -f GPKG "$out/from_csv.gpkg" "$out/events.csv" -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude
for g in from_geojson from_csv; do
  ogrinfo -ro -al -so "$out/$g.gpkg" | grep -q "Feature Count: $n" || fail "$g.gpkg does not hold $n features"
done

# the GeoPackage clashmap writes itself: two layers and a table, typed, as many rows
"$BIN" extract data/articles --format gpkg -o "$out/events.gpkg"
ginfo=$(ogrinfo -ro "$out/events.gpkg" 2>&1)
grep -q "events (Point)" <<<"$ginfo" || fail "events.gpkg has no events point layer: $ginfo"
grep -q "distances (Line String)" <<<"$ginfo" || fail "events.gpkg has no distances line layer: $ginfo"
! grep -qi "warning\|error" <<<"$ginfo" || fail "ogrinfo warns on events.gpkg: $ginfo"
einfo=$(ogrinfo -ro -so "$out/events.gpkg" events)
grep -q "Feature Count: $n" <<<"$einfo" || fail "events.gpkg does not hold $n events: $einfo"
grep -Eq "^event_date: Date" <<<"$einfo" || fail "event_date is not a Date in events.gpkg"
grep -Eq "^fatalities: Integer " <<<"$einfo" || fail "fatalities is not an Integer in events.gpkg: $(grep "^fatalities:" <<<"$einfo")"
grep -Eq "^latitude: Real" <<<"$einfo" || fail "latitude is not Real in events.gpkg"
ogrinfo -ro -so "$out/events.gpkg" sources | grep -q "Feature Count:" || fail "events.gpkg has no sources table"
ogrinfo -ro -sql "SELECT HasSpatialIndex('events', 'geom')" "$out/events.gpkg" | grep -q "= 1" || fail "events.gpkg has no spatial index"
# round trip through GDAL: GeoPackage -> GeoJSON -> GeoPackage, same count
ogr2ogr -f GeoJSON "$out/rt.geojson" "$out/events.gpkg" events
ogr2ogr -f GPKG "$out/rt.gpkg" "$out/rt.geojson"
ogrinfo -ro -al -so "$out/rt.gpkg" | grep -q "Feature Count: $n" || fail "events.gpkg does not round-trip through ogr2ogr"
# the CSV's .csvt sidecar: GDAL finds the point and the types with no options
csvt=$(ogrinfo -ro -al -so "$out/events.csv")
grep -q "Geometry: Point" <<<"$csvt" || fail "events.csv (with events.csvt) opens without geometry: $csvt"
grep -Eq "^event_date: Date" <<<"$csvt" || fail "events.csvt does not make event_date a Date"

# the text sequence and the distance layer open too
ogrinfo -ro -al -so "$out/reports.geojsons" | grep -q "Feature Count:" || fail "reports.geojsons does not open"
dinfo=$(ogrinfo -ro -al -so "$out/distances.geojson")
grep -q "Geometry: Line String" <<<"$dinfo" || fail "distances.geojson is not lines"
grep -Eq "^label_km: Real" <<<"$dinfo" || fail "label_km is not Real in distances.geojson"
grep -Eq "^stated: Integer\(Boolean\)" <<<"$dinfo" || fail "stated is not a Boolean in distances.geojson"

# schema validation of every GeoJSON written
"$PY" - "$out/events.geojson" "$out/distances.geojson" <<'PYEOF'
import json, sys
from geojson_validator import validate_structure, validate_geometries
bad = False
for path in sys.argv[1:]:
    fc = json.load(open(path))
    problems = validate_structure(fc)
    geometries = validate_geometries(fc)
    invalid = geometries.get("invalid", {}) if isinstance(geometries, dict) else {}
    problematic = geometries.get("problematic", {}) if isinstance(geometries, dict) else {}
    if problems or invalid or problematic:
        print(f"check-gis: FAILED: {path}: structure {problems}, invalid {invalid}, problematic {problematic}", file=sys.stderr)
        bad = True
    else:
        print(f"check-gis: {path.rsplit('/', 1)[-1]} valid ({len(fc['features'])} features)")
sys.exit(1 if bad else 0)
PYEOF
echo "check-gis: ok"
