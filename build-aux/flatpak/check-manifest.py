#!/usr/bin/python3
# build-aux/flatpak/check-manifest.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-manifest.py MANIFEST

Checks the Flatpak manifest the way a Flathub reviewer would, and prints TAP:
  - it parses as JSON, names the app, a GNOME runtime and SDK of one branch, and a command;
  - its finish-args are exactly the allowed permissions: network, IPC, Wayland with X11 as a
    fallback, and the GPU. No filesystem access (files come through the portals) and no
    org.freedesktop.secrets (libsecret uses the Secret portal in the sandbox);
  - every module's sources are pinned: a git source by commit, an archive or file by sha256,
    a dir source stays inside the checkout (it is the app's own code);
  - md4c comes from its release-0.5.3 tag at its known commit, built with cmake-ninja, before
    the app, which is built last with meson from the checkout;
  - the maths font (DejaVu Math TeX Gyre) is carried in /app/share/fonts, so formulas never
    depend on what the runtime happens to ship.
"""
import json
import os
import re
import sys

ALLOWED = ['--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri']
# The oldest GNOME runtime Flathub still builds on; raise it as branches reach their end.
OLDEST_SUPPORTED_RUNTIME = 50
MD4C_COMMIT = '472c417005c2c71b8617de4f7b8d6b30411d78f4'

path = sys.argv[1]
results = []


def tap(ok, title, why=''):
    results.append(ok)
    print('%s %d - %s%s' % ('ok' if ok else 'not ok', len(results), title, ' # ' + why if why else ''))


def done():
    print('1..%d' % len(results))
    sys.exit(0 if all(results) else 1)


try:
    with open(path, encoding='utf-8') as f:
        m = json.load(f)
    tap(isinstance(m, dict), 'the manifest parses as a JSON object')
except (OSError, ValueError) as e:
    tap(False, 'the manifest parses as a JSON object', str(e))
    done()

problems = []
if m.get('id') != 'io.github.cria.Cria':
    problems.append('id is %r' % m.get('id'))
if m.get('runtime') != 'org.gnome.Platform' or m.get('sdk') != 'org.gnome.Sdk':
    problems.append('runtime %r and sdk %r are not the GNOME ones' % (m.get('runtime'), m.get('sdk')))
if not re.fullmatch(r'\d{2,}', str(m.get('runtime-version', ''))):
    problems.append('runtime-version %r is not a GNOME release branch' % m.get('runtime-version'))
elif int(m['runtime-version']) < OLDEST_SUPPORTED_RUNTIME:
    problems.append('runtime-version %s is end-of-life: Flathub builds on %d or newer'
                    % (m['runtime-version'], OLDEST_SUPPORTED_RUNTIME))
if m.get('command') != 'cria':
    problems.append('command is %r' % m.get('command'))
tap(not problems, 'app id, GNOME runtime and SDK, command', '; '.join(problems))

args = m.get('finish-args', [])
extra = [a for a in args if a not in ALLOWED]
lacking = [a for a in ALLOWED if a not in args]
dupes = sorted(set(a for a in args if args.count(a) > 1))
why = []
if extra:
    why.append('not allowed: ' + ' '.join(extra))
if lacking:
    why.append('missing: ' + ' '.join(lacking))
if dupes:
    why.append('twice: ' + ' '.join(dupes))
tap(not why, 'finish-args are exactly ' + ' '.join(ALLOWED), '; '.join(why))

modules = m.get('modules', [])
unpinned = []
checkout = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(path)), '..', '..'))


def check_module(mod, where):
    if isinstance(mod, str):
        unpinned.append('%s: a module from another file (%s) is not checked here' % (where, mod))
        return
    name = mod.get('name', '?')
    sources = mod.get('sources', [])
    if not sources:
        unpinned.append('%s: no sources' % name)
    for s in sources:
        if isinstance(s, str):
            unpinned.append('%s: sources from another file (%s)' % (name, s))
            continue
        kind = s.get('type')
        if kind == 'git':
            if not re.fullmatch(r'[0-9a-f]{40}', s.get('commit', '')):
                unpinned.append('%s: git source %s has no commit' % (name, s.get('url')))
        elif kind in ('archive', 'file'):
            if not re.fullmatch(r'[0-9a-f]{64}', s.get('sha256', '')) and 'path' not in s:
                unpinned.append('%s: %s source %s has no sha256' % (name, kind, s.get('url')))
        elif kind == 'dir':
            target = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(path)), s.get('path', '')))
            if target != checkout and not target.startswith(checkout + os.sep):
                unpinned.append('%s: dir source %s is outside the checkout' % (name, s.get('path')))
        elif kind in ('patch', 'script', 'shell'):
            pass  # local files or inline commands
        else:
            unpinned.append('%s: a %s source can not be pinned' % (name, kind))
    for sub in mod.get('modules', []):
        check_module(sub, name)


for mod in modules:
    check_module(mod, 'top')
tap(modules and not unpinned, 'every module pins a commit or a checksum (%d modules)' % len(modules),
    '; '.join(unpinned) if modules else 'no modules')

names = [mod.get('name') if isinstance(mod, dict) else mod for mod in modules]
md4c = next((mod for mod in modules if isinstance(mod, dict) and mod.get('name') == 'md4c'), None)
why = []
if md4c is None:
    why.append('no md4c module')
else:
    src = (md4c.get('sources') or [{}])[0]
    if md4c.get('buildsystem') != 'cmake-ninja':
        why.append('md4c is built with %r' % md4c.get('buildsystem'))
    if src.get('type') != 'git' or src.get('tag') != 'release-0.5.3' or src.get('commit') != MD4C_COMMIT:
        why.append('md4c is not release-0.5.3 at %s' % MD4C_COMMIT)
if not names or names[-1] != 'cria':
    why.append('cria is not the last module (modules: %s)' % names)
else:
    cria = modules[-1]
    if cria.get('buildsystem') != 'meson' or [s.get('type') for s in cria.get('sources', [])] != ['dir']:
        why.append('cria is not built with meson from the local checkout')
tap(not why, 'md4c from release-0.5.3 with cmake-ninja, then cria from the checkout with meson', '; '.join(why))

font = next((mod for mod in modules if isinstance(mod, dict) and mod.get('name') == 'dejavu-math-font'), None)
why = []
if font is None:
    why.append('no dejavu-math-font module')
elif not any('/app/share/fonts/DejaVuMathTeXGyre.ttf' in c for c in font.get('build-commands', [])):
    why.append('DejaVuMathTeXGyre.ttf is not installed in /app/share/fonts')
tap(not why, 'the maths font is carried in /app/share/fonts', '; '.join(why))

done()
