#!/bin/bash
# build-aux/flatpak-check.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# flatpak-check.sh [BUILD_DIR]
#
# Builds Cria's Flatpak for real and runs it, offline, and prints TAP:
#   1. a stand-in org.gnome.Sdk and org.gnome.Platform, made from Debian 12 packages (GNOME 43:
#      the same GTK 4.8, libadwaita 1.2 and libsoup 3.2 as the floor) with mmdebstrap, exported
#      under the branch build-aux/flatpak/io.github.cria.Cria.json asks for into a local OSTree
#      repository and installed from it into a private flatpak user dir (FLATPAK_USER_DIR);
#   2. flatpak-builder --user --install of that manifest, less the modules it downloads (md4c,
#      poppler, the maths font): they can't be fetched offline, and the stand-in runtime carries
#      Debian's packages of them;
#   3. flatpak run under a private Xvfb, session bus and unlocked keyring
#      (build-aux/run-headless.sh), driven through AT-SPI by build-aux/flatpak-smoke.py against
#      the fake LlamaGate on loopback: the window comes up, the key is stored through the
#      Secret portal inside the sandbox, an answer streams, and a second run reads the key back.
#
# BUILD_DIR (default build/) holds the fake LlamaGate (BUILD_DIR/tests/fake-llamagate) and the
# work dir BUILD_DIR/flatpak-check/. The runtime is kept there between runs (about 1.3 GB) and
# made again when its package list or branch changes; CRIA_FLATPAK_CLEAN=1 removes it at the
# end. Needs root (mmdebstrap) or unprivileged user namespaces, the Debian archive, and about
# 3 GB of free disk; without them it reports itself skipped, with the reason, and exits 77.
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
build=$(realpath -m "${1:-build}")
work=$build/flatpak-check
manifest=$root/build-aux/flatpak/io.github.cria.Cria.json
need_gb=3

skip ()
{
  echo "1..0 # SKIP $*"
  exit 77
}

n=0
failed=0
ok ()
{
  n=$((n + 1))
  echo "ok $n - $*"
}
not_ok ()
{
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $*"
}
# finish: the plan goes last, so a step that failed early still counts the ones it skipped.
finish ()
{
  echo "1..$n"
  [ "$failed" -eq 0 ]
  exit $?
}
skip_rest ()
{
  local why=$1
  shift
  for step in "$@"; do
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $step # not run: $why"
  done
  finish
}

for tool in flatpak flatpak-builder mmdebstrap bwrap Xvfb xdotool /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (build-aux/install-deps.sh installs it)"
done
[ -x "$build/tests/fake-llamagate" ] || skip "$build/tests/fake-llamagate is not built (meson compile -C ${build#$root/})"

mkdir -p "$work"
free_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
if [ "${free_kb:-0}" -lt $((need_gb * 1024 * 1024)) ] && [ ! -f "$work/runtime.stamp" ]; then
  skip "only $((free_kb / 1024)) MB free under $work; building the runtime and the app needs about ${need_gb} GB"
fi

if [ "$(id -u)" -eq 0 ]; then
  mode=root
elif unshare --user --map-root-user true 2>/dev/null; then
  mode=unshare
else
  skip "not root and no unprivileged user namespaces, which mmdebstrap needs"
fi
bwrap --unshare-all --ro-bind / / true 2>/dev/null || skip "bubblewrap can't create a sandbox here"

read -r app_id branch < <(flatpak-builder --show-manifest "$manifest" 2>/dev/null |
  /usr/bin/python3 -c 'import json, sys; m = json.load(sys.stdin); print(m["id"], m["runtime-version"])')
if [ -z "${app_id:-}" ]; then
  not_ok "flatpak-builder reads ${manifest#$root/}"
  skip_rest "the manifest can't be read" "stand-in GNOME runtime" "flatpak-builder --install" "flatpak run"
fi

export FLATPAK_USER_DIR=$work/user
# flatpak and flatpak-builder keep state in HOME and XDG dirs: keep it in the work dir.
export HOME=$work/home XDG_CACHE_HOME=$work/home/.cache XDG_DATA_HOME=$work/home/.local/share \
       XDG_CONFIG_HOME=$work/home/.config
mkdir -p "$XDG_CACHE_HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"

# --- 1. the stand-in runtime ------------------------------------------------------------------

# What the runtime needs to build and run Cria; appstream-util, librsvg2-common (SVG icons) and
# elfutils are what flatpak-builder's own steps call. fonts-dejavu-extra has the maths font,
# DejaVu Math TeX Gyre, which the GNOME runtime ships too.
packages=gcc,libc6-dev,meson,ninja-build,pkg-config,cmake,libgtk-4-dev,libadwaita-1-dev,libsoup-3.0-dev,libjson-glib-dev,libsecret-1-dev,libgtksourceview-5-dev,libmd4c-dev,libmd4c-html0-dev,libpoppler-glib-dev,libsqlite3-dev,libglib2.0-bin,gettext,fonts-dejavu-core,fonts-dejavu-extra,adwaita-icon-theme,hicolor-icon-theme,shared-mime-info,ca-certificates,glib-networking,elfutils,desktop-file-utils,appstream-util,librsvg2-common,libgtk-4-bin
stamp="$branch $packages"
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || sources=/etc/apt/sources.list

start=$(date +%s)
if [ -f "$work/runtime.stamp" ] && [ "$(cat "$work/runtime.stamp")" = "$stamp" ] &&
   flatpak --user info "org.gnome.Platform//$branch" >/dev/null 2>&1 &&
   flatpak --user info "org.gnome.Sdk//$branch" >/dev/null 2>&1; then
  ok "stand-in org.gnome.Sdk//$branch and org.gnome.Platform//$branch (kept from an earlier run)"
else
  rm -rf "$work/user" "$work/repo" "$work/rootfs" "$work/rt" "$work/runtime.stamp"
  echo "# building the stand-in runtime from Debian 12 packages (mmdebstrap --mode=$mode)"
  if ! timeout 1200 mmdebstrap --mode="$mode" --variant=apt --aptopt='APT::Install-Recommends "false"' \
         --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
         --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
         --dpkgopt='path-include=/usr/share/locale/locale.alias' \
         --include="$packages" bookworm "$work/rootfs" "$sources" >"$work/mmdebstrap.log" 2>&1; then
    tail -n 20 "$work/mmdebstrap.log" | sed 's/^/# /'
    not_ok "stand-in runtime: mmdebstrap failed (log: ${work#$root/}/mmdebstrap.log)"
    skip_rest "no runtime" "flatpak-builder --install" "flatpak run"
  fi
  # build-export --runtime exports usr/ as the runtime's files/; the chroot's /etc goes inside
  # it as /usr/etc, where flatpak looks for a runtime's configuration.
  mkdir -p "$work/rt/files"
  cp -al "$work/rootfs/usr" "$work/rt/usr" && cp -a "$work/rootfs/etc" "$work/rt/usr/etc"
  rm -f "$work/rt/usr/etc/"{passwd,group,shadow,gshadow,hostname,hosts,resolv.conf,machine-id,localtime,mtab}
  printf '[Runtime]\nname=org.gnome.Sdk\nruntime=org.gnome.Platform/%s/%s\nsdk=org.gnome.Sdk/%s/%s\n' \
    "$(flatpak --default-arch)" "$branch" "$(flatpak --default-arch)" "$branch" >"$work/rt/metadata"
  arch=$(flatpak --default-arch)
  if timeout 900 flatpak build-export --runtime --disable-sandbox "$work/repo" "$work/rt" "$branch" \
       >"$work/export.log" 2>&1 &&
     flatpak build-commit-from --src-ref="runtime/org.gnome.Sdk/$arch/$branch" "$work/repo" \
       "runtime/org.gnome.Platform/$arch/$branch" >>"$work/export.log" 2>&1 &&
     flatpak build-update-repo "$work/repo" >>"$work/export.log" 2>&1 &&
     flatpak --user remote-add --no-gpg-verify --if-not-exists cria-offline "file://$work/repo" \
       >>"$work/export.log" 2>&1 &&
     timeout 600 flatpak --user install -y --noninteractive cria-offline \
       "org.gnome.Sdk//$branch" "org.gnome.Platform//$branch" >"$work/install.log" 2>&1; then
    rm -rf "$work/rootfs" "$work/rt"
    echo "$stamp" >"$work/runtime.stamp"
    ok "stand-in org.gnome.Sdk//$branch and org.gnome.Platform//$branch built and installed ($(( $(date +%s) - start ))s, $(du -sh "$work/user" | cut -f1))"
  else
    tail -n 20 "$work/export.log" "$work/install.log" 2>/dev/null | sed 's/^/# /'
    rm -rf "$work/rootfs" "$work/rt"
    not_ok "stand-in runtime: export or install failed (logs in ${work#$root/}/)"
    skip_rest "no runtime" "flatpak-builder --install" "flatpak run"
  fi
fi

# --- 2. the app ---------------------------------------------------------------------------------

# The manifest less its downloaded modules, building this checkout; every build dir in it is left out of the copy.
mkdir -p "$work/manifest"
skips=()
for d in "$root"/* "$root"/.flatpak-builder; do
  [ -d "$d/meson-private" ] || [ "$(basename "$d")" = .flatpak-builder ] && skips+=("$(basename "$d")")
done
/usr/bin/python3 - "$manifest" "$work/manifest/$app_id.json" "$root" "${skips[@]}" <<'EOF'
import json, sys
src, dst, root, skips = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
m = json.load(open(src))
# Modules fetched from the network (md4c, poppler, the maths font) are left out: the stand-in
# runtime carries Debian's libmd4c, libpoppler-glib and fonts-dejavu-extra instead.
m['modules'] = [mod for mod in m['modules'] if not (isinstance(mod, dict) and mod.get('name') in ('md4c', 'poppler', 'dejavu-math-font'))]
for mod in m['modules']:
    for s in mod.get('sources', []):
        if s.get('type') == 'dir':
            s['path'] = root
            s['skip'] = sorted(set(s.get('skip', []) + skips))
json.dump(m, open(dst, 'w'), indent=2)
EOF

start=$(date +%s)
if timeout 1200 flatpak-builder --user --install --force-clean --disable-rofiles-fuse --disable-download \
     --state-dir="$work/builder-state" "$work/app-build" "$work/manifest/$app_id.json" \
     >"$work/flatpak-builder.log" 2>&1; then
  ok "flatpak-builder --user --install $app_id ($(( $(date +%s) - start ))s)"
else
  grep -E 'error|Error|FAILED' "$work/flatpak-builder.log" | head -n 20 | sed 's/^/# /'
  tail -n 20 "$work/flatpak-builder.log" | sed 's/^/# /'
  not_ok "flatpak-builder --user --install $app_id (log: ${work#$root/}/flatpak-builder.log)"
  skip_rest "the app did not build" "flatpak run"
fi
rm -rf "$work/app-build"

# --- 3. run it ----------------------------------------------------------------------------------

# run-headless.sh gives the run its own HOME, so the sandbox's ~/.var/app is thrown away too.
# Its TAP lines are this script's, numbered on from here.
bash build-aux/run-headless.sh /usr/bin/python3 build-aux/flatpak-smoke.py \
  "$app_id" "$build/tests/fake-llamagate" "$work/smoke" "$n" >"$work/smoke.tap" 2>"$work/smoke.err"
rc=$?
cat "$work/smoke.tap"
ran=$(grep -c -E '^(not )?ok ' "$work/smoke.tap")
bad=$(grep -c -E '^not ok ' "$work/smoke.tap")
n=$((n + ran))
failed=$((failed + bad))
if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
  tail -n 20 "$work/smoke.err" | sed 's/^/# /'
  not_ok "flatpak run: the smoke test exited with status $rc (log: ${work#$root/}/smoke.err)"
fi

if [ "${CRIA_FLATPAK_CLEAN:-0}" = 1 ]; then
  rm -rf "$work"
fi
finish
