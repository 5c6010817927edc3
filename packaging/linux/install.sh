#!/bin/sh
# Install LoudSync from this unpacked tarball, or remove it again.
#
#   ./install.sh                  for you: ~/.local (the program in ~/.local/lib/loudsync,
#                                 the command ~/.local/bin/loudsync, a menu entry and icons)
#   sudo ./install.sh             for everybody: /usr/local
#   ./install.sh --prefix DIR     somewhere else
#   ./install.sh --uninstall      (with the same --prefix or sudo) remove what it installed
#
# Nothing else is needed besides the system's OpenGL/EGL libraries (libgl1 libegl1 on Debian
# and Ubuntu), which every desktop has. Running ./loudsync from this folder works too.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
action=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

lib="$prefix/lib/loudsync"
bin="$prefix/bin/loudsync"
apps="$prefix/share/applications/loudsync.desktop"
meta="$prefix/share/metainfo/app.loudsync.LoudSync.metainfo.xml"
icons="$prefix/share/icons/hicolor"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 &&
    update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 &&
    gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
  rm -rf "$lib"
  rm -f "$bin" "$apps" "$meta"
  find "$icons" -path '*/apps/loudsync.*' -exec rm -f {} + 2>/dev/null || true
  refresh
  echo "LoudSync removed from $prefix"
  exit 0
fi

mkdir -p "$prefix/lib" "$prefix/bin" "$(dirname "$apps")" "$(dirname "$meta")"
rm -rf "$lib.new"
mkdir -p "$lib.new"
cp -a "$here/loudsync" "$here/_internal" "$lib.new/"
rm -rf "$lib" && mv "$lib.new" "$lib"
ln -sfn "$lib/loudsync" "$bin"
# The menu entry names the program by its full path: ~/.local/bin is not always on PATH.
sed "s|^Exec=loudsync|Exec=$bin|" "$here/share/applications/loudsync.desktop" > "$apps"
cp "$here/share/metainfo/app.loudsync.LoudSync.metainfo.xml" "$meta"
(cd "$here/share/icons/hicolor" && find . -name 'loudsync.*' | while read -r f; do
  mkdir -p "$icons/$(dirname "$f")" && cp "$f" "$icons/$f"; done)
refresh
echo "LoudSync installed: $bin (menu entry: $apps)"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: $prefix/bin is not on your PATH" ;; esac
