#!/bin/sh
# Install the Standby one-folder bundle this script sits in, for the current user
# (or system-wide when run as root), with a menu entry and an icon.
#   ./install.sh              install (or update)
#   ./install.sh --uninstall  remove what install put in place (your data stays)
#   --user                    (with either) for the current user even when run as root
set -eu

here=$(cd "$(dirname "$0")" && pwd)
action=install
scope=auto
for argument in "$@"; do
    case "$argument" in
        --uninstall) action=uninstall ;;
        --user) scope=user ;;
        *) echo "install.sh: unknown option $argument (use --uninstall and/or --user)" >&2; exit 2 ;;
    esac
done
if [ "$scope" = auto ] && [ "$(id -u)" = 0 ]; then
    prefix=/opt/standby
    bin=/usr/local/bin
    share=/usr/local/share
else
    prefix=$HOME/.local/lib/standby
    bin=$HOME/.local/bin
    share=${XDG_DATA_HOME:-$HOME/.local/share}
fi
desktop=$share/applications/standby.desktop
if [ "$prefix" = /opt/standby ] && command -v dpkg-query >/dev/null 2>&1 \
    && dpkg-query -W -f='${Status}' standby 2>/dev/null | grep -q ' installed$'; then
    echo "install.sh: Standby is installed in /opt/standby from its Debian package;" \
         "update or remove it with apt (or use --user for a copy of your own)." >&2
    exit 1
fi
icon=$share/icons/hicolor/256x256/apps/standby.png

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$share/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
}

# Replacing or removing the files of a running Standby would break it (it reads its own
# files while it runs), and a Standby in the tray is easy to forget.
for process in /proc/[0-9]*/exe; do
    target=$(readlink "$process" 2>/dev/null) || continue
    case "$target" in
        "$prefix"/*)
            echo "install.sh: Standby is running from $prefix. Quit it first (Quit Standby" \
                 "in its tray icon's menu), then run install.sh again." >&2
            exit 1 ;;
    esac
done

if [ "$action" = uninstall ]; then
    rm -rf "$prefix"
    rm -f "$bin/standby" "$bin/standby-server" "$desktop" "$icon"
    # This user's start-at-login entry, when it starts the copy just removed (other users'
    # entries name it in TryExec, so their desktops skip them from now on).
    autostart=${XDG_CONFIG_HOME:-$HOME/.config}/autostart/standby.desktop
    if [ -f "$autostart" ] && grep -q "^TryExec=$prefix/" "$autostart"; then
        rm -f "$autostart"
    fi
    refresh_menus
    echo "Standby removed. Your license data is kept in ${XDG_DATA_HOME:-$HOME/.local/share}/standby."
    exit 0
fi

if [ ! -x "$here/standby" ] || [ ! -d "$here/_internal" ]; then
    echo "install.sh: run it from the unpacked Standby folder (standby and _internal/ beside it)" >&2
    exit 1
fi

# Copy into a new folder first, then swap it in: a failed copy leaves the old version working.
mkdir -p "$(dirname "$prefix")" "$bin" "$(dirname "$desktop")" "$(dirname "$icon")"
rm -rf "$prefix.new"
cp -R "$here" "$prefix.new"
rm -rf "$prefix.old"
[ -d "$prefix" ] && mv "$prefix" "$prefix.old"
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"

ln -sf "$prefix/standby" "$bin/standby"
ln -sf "$prefix/standby-server" "$bin/standby-server"
cp "$here/standby.png" "$icon"
# The menu entry, with the program's path quoted as desktop entries want it.
program=$(printf '%s' "$prefix/standby" | sed -e 's/[\\"`$]/\\\\&/g' -e 's/%/%%/g')
while IFS= read -r line; do
    case "$line" in
        Exec=@EXEC@) printf 'Exec="%s"\n' "$program" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$here/standby.desktop" > "$desktop"
chmod 644 "$desktop" "$icon"
refresh_menus

echo "Standby installed in $prefix"
echo "Start it from your applications menu, or run: $bin/standby"
echo "Check the installation with: $bin/standby --self-test"
