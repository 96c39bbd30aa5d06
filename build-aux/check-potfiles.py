#!/usr/bin/python3
# build-aux/check-potfiles.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-potfiles.py SOURCE_ROOT

Checks that po/POTFILES.in lists exactly the files that hold translatable strings, so no string
is left out of the translation template: every .c, .h and .ui file under src/ that marks a
string (_(), N_(), C_(), NC_(), ngettext(), translatable="yes"), and the translatable data files
(the desktop file, the metainfo and the GSettings schema). It fails when such a file is missing
from POTFILES.in and when POTFILES.in lists a file that does not exist. Then it runs xgettext on
the list, as `meson compile cria-pot` does, and checks that strings came out of every kind of
file. Prints TAP.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARKS = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(|translatable="yes"')
DATA = re.compile(r'\.(desktop\.in|metainfo\.xml\.in|gschema\.xml)$')

root = sys.argv[1] if len(sys.argv) > 1 else '.'
os.chdir(root)

results = []


def tap(ok, title, why=''):
    results.append(ok)
    print('%s %d - %s%s' % ('ok' if ok else 'not ok', len(results), title, ' # ' + why if why else ''))


listed = []
with open('po/POTFILES.in', encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)

wanted = set()
for top in ('src', 'data'):
    for d, _, files in os.walk(top):
        for fn in files:
            path = os.path.join(d, fn)
            if DATA.search(fn):
                wanted.add(path)
            elif fn.endswith(('.c', '.h', '.ui')):
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                # Comments and the i18n header names don't count, a mark in code does.
                text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
                if MARKS.search(text):
                    wanted.add(path)

missing = sorted(wanted - set(listed))
tap(not missing, 'every file with translatable strings is in po/POTFILES.in',
    'missing: ' + ', '.join(missing) if missing else '')

gone = sorted(p for p in listed if not os.path.isfile(p))
tap(not gone, 'every file po/POTFILES.in lists exists', 'not found: ' + ', '.join(gone) if gone else '')

dupes = sorted(set(p for p in listed if listed.count(p) > 1))
tap(not dupes, 'po/POTFILES.in lists each file once', 'twice: ' + ', '.join(dupes) if dupes else '')

xgettext = shutil.which('xgettext')
if xgettext is None:
    print('ok %d - xgettext makes a template # SKIP xgettext is not installed' % (len(results) + 1))
    results.append(True)
else:
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'cria.pot')
        existing = [p for p in listed if os.path.isfile(p)]
        # The same keywords as meson's glib preset.
        cmd = [xgettext, '--from-code=UTF-8', '--add-comments', '-o', pot,
               '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
               '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
               '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
               '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
               '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
               '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format'] + existing
        r = subprocess.run(cmd, capture_output=True, text=True)
        warnings = [l for l in r.stderr.splitlines() if 'warning:' in l]
        if r.returncode != 0:
            tap(False, 'xgettext makes a template from po/POTFILES.in', r.stderr.strip()[-300:])
        elif warnings:
            # A format string xgettext can't read (G_GINT64_FORMAT inside _()) reaches
            # translators broken.
            tap(False, 'xgettext reads every string without a warning', ' | '.join(warnings)[:600])
        else:
            text = open(pot, encoding='utf-8').read()
            kinds = {}
            for m in re.finditer(r'^#: (.*)$', text, re.M):
                for ref in m.group(1).split():
                    path = ref.rsplit(':', 1)[0]
                    kinds.setdefault(os.path.splitext(path)[1] or path, set()).add(path)
            refs = set(p for ps in kinds.values() for p in ps)
            empty = sorted(p for p in existing if p not in refs)
            n = len(re.findall(r'^msgid "', text, re.M)) - 1
            tap(not empty, 'xgettext finds strings in every listed file (%d strings)' % n,
                'nothing found in: ' + ', '.join(empty) if empty else '')

print('1..%d' % len(results))
sys.exit(0 if all(results) else 1)
