#!/usr/bin/env bash
# Sets chibo up on a fresh Debian/Ubuntu machine and then runs it or its tests.
#   bash packaging/setup.sh run    install, create the demo cell once, open the window on it
#   bash packaging/setup.sh test   install, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

# What Qt needs to draw (offscreen for tests, on a real screen for the window), and poppler for reading PDFs back.
APT_PACKAGES=(libgl1 libegl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
  poppler-utils libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-util1 libxcb-randr0)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Cần quyền root để cài: $*" >&2; return 1; fi
}

missing=()
if command -v dpkg-query >/dev/null; then
  python3 -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Cài các gói hệ thống: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev,pdf-preview]'

case "$mode" in
  run)
    demo_db="$(.venv/bin/python -c 'from app.paths import data_dir; print(data_dir() / "demo.sqlite")')"
    if [ ! -f "$demo_db" ]; then .venv/bin/chibo --db "$demo_db" demo; fi
    exec .venv/bin/chibo --db "$demo_db"
    ;;
  test)
    exec .venv/bin/python -m pytest "${@:2}"
    ;;
  *)
    echo "Dùng: bash packaging/setup.sh run|test" >&2; exit 2 ;;
esac
