#!/usr/bin/env bash
# Installs the Debian packages Pressroom needs, only those missing.
#   scripts/system-packages.sh run    fonts (the PDF and Word files use the Noto families)
#   scripts/system-packages.sh test   + LibreOffice, Chromium, poppler: the real clients tests use
set -euo pipefail
want=(fonts-noto-core fonts-noto-cjk)
if [ "${1:-run}" = "test" ]; then
  want+=(libreoffice-writer-nogui python3-uno chromium poppler-utils)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
