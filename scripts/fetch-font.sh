#!/usr/bin/env bash
# Bundles DejaVu Sans (regular and bold) for rendering maps to PNG the same way on every
# machine: taken from Debian's fonts-dejavu-core package (licence: Bitstream Vera /
# public domain, see data/fonts/LICENSE).
#   scripts/fetch-font.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-dejavu-core >/dev/null && dpkg -x fonts-dejavu-core_*.deb x)
mkdir -p data/fonts
cp "$work"/x/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$work"/x/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf data/fonts/
cp "$work"/x/usr/share/doc/fonts-dejavu-core/copyright data/fonts/LICENSE
ls -l data/fonts
