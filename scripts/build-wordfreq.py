#!/usr/bin/env python3
"""Writes data/lexicon/frequent/LANG.txt: the most frequent words of each lexicon
language, from PyPI `wordfreq` (pinned), one word a line, most frequent first.

clashmap reads them to tell a common word from a place name ("Toen", "Net", "Just"
are words before they are villages in Iran or India). Run from the project root:

    python3 scripts/build-wordfreq.py        # needs python3 and pip (PyPI)
    git diff --stat data/lexicon/frequent    # nothing, unless the source changed

The output is deterministic (wordfreq's ranked list, which ships as data in the
package). Licence of the data: wordfreq's word lists are CC BY-SA 4.0 (Robyn Speer,
and the sources it names: Wikipedia, OpenSubtitles, Google Books, SUBTLEX, ...).
"""
import pathlib
import subprocess
import sys
import venv

WORDFREQ = "wordfreq==3.1.1"
LANGS = ["en", "nl", "de", "fr"]
TOP = 10000

root = pathlib.Path(__file__).resolve().parent.parent
cache = root / "target" / "wordfreq-venv"
python = cache / "bin" / "python"
if not python.exists():
    venv.create(cache, with_pip=True)
subprocess.run([str(python), "-m", "pip", "install", "-q", WORDFREQ], check=True)

code = r"""
import sys, unicodedata
from wordfreq import top_n_list
lang, top = sys.argv[1], int(sys.argv[2])
seen = set()
for w in top_n_list(lang, top):
    w = unicodedata.normalize("NFC", w.strip().lower())
    # words only: no digits, no lone letters, no punctuation-only tokens
    if len(w) < 2 or not any(c.isalpha() for c in w) or any(c.isdigit() for c in w):
        continue
    if w not in seen:
        seen.add(w)
        print(w)
"""
out_dir = root / "data" / "lexicon" / "frequent"
out_dir.mkdir(parents=True, exist_ok=True)
for lang in LANGS:
    words = subprocess.run([str(python), "-c", code, lang, str(TOP)], check=True,
                           capture_output=True, text=True).stdout
    header = (f"# The {TOP} most frequent words of '{lang}' (lowercase, words of two letters or more,\n"
              f"# no digits), most frequent first. Source: PyPI {WORDFREQ} (top_n_list).\n"
              "# Licence: CC BY-SA 4.0, wordfreq by Robyn Speer and its sources.\n"
              "# Rebuild: python3 scripts/build-wordfreq.py\n")
    (out_dir / f"{lang}.txt").write_text(header + words, encoding="utf-8")
    print(f"{lang}: {len(words.splitlines())} words", file=sys.stderr)
