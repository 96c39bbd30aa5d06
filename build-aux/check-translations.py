#!/usr/bin/python3
# build-aux/check-translations.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-translations.py SOURCE_ROOT DESKTOP_FILE METAINFO_FILE MO_ROOT

Checks every language in po/LINGUAS is complete and well formed, so a user who runs Cria in that
language never meets an English string, a broken format or a missing mnemonic:

- msgfmt --check (formats, plural forms, header) and --check-accelerators pass;
- the .po file has no fuzzy and no untranslated message;
- the .po file covers the strings the sources hold today: it is merged with a template made
  from po/POTFILES.in by xgettext (as `meson compile cria-pot` does), and the merge must still
  be fully translated, so a string added to the code without a translation fails here;
- each translation keeps the original's leading and trailing white space, its closing
  punctuation, its mnemonic underscores and its markup tags;
- the built .desktop file has Name, GenericName, Comment and Keywords in the language, and the
  built metainfo as many translated elements as the most complete language;
- the compiled catalogue MO_ROOT/LANG/LC_MESSAGES/cria.mo exists.

Prints TAP.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

root, desktop_file, metainfo_file, mo_root = sys.argv[1:5]
po_dir = os.path.join(root, 'po')

results = []


def tap(ok, title, why=''):
    results.append(ok)
    print('%s %d - %s%s' % ('ok' if ok else 'not ok', len(results), title,
                            ' # ' + why.replace('\n', ' | ') if why and not ok else ''))


def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    out, i = [], 1
    while i < len(s) - 1:
        c = s[i]
        if c == '\\':
            n = s[i + 1]
            out.append({'n': '\n', 't': '\t', '"': '"', '\\': '\\'}.get(n, '\\' + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def parse_po(path):
    """The entries of a .po file: dicts with ctxt, id, plural, strs (list) and flags."""
    entries, cur, field = [], None, None

    def finish():
        if cur is not None and 'id' in cur:
            entries.append(cur)

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#~') or not line.strip():
                continue
            if line.startswith('#,'):
                finish()
                cur, field = {'flags': set(x.strip() for x in line[2:].split(',')), 'strs': {}}, None
                continue
            if line.startswith('#'):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if m:
                key, idx, val = m.group(1), m.group(2), unquote(m.group(3))
                if key in ('msgctxt', 'msgid') and (cur is None or 'id' in cur):
                    finish()
                    cur = {'flags': set(), 'strs': {}}
                if cur is None:
                    cur = {'flags': set(), 'strs': {}}
                if key == 'msgctxt':
                    cur['ctxt'], field = val, ('ctxt', None)
                elif key == 'msgid':
                    cur['id'], field = val, ('id', None)
                elif key == 'msgid_plural':
                    cur['plural'], field = val, ('plural', None)
                else:
                    n = int(idx) if idx is not None else 0
                    cur['strs'][n], field = val, ('strs', n)
            elif line.startswith('"') and field is not None:
                val = unquote(line)
                if field[0] == 'strs':
                    cur['strs'][field[1]] += val
                else:
                    cur[field[0]] += val
    finish()
    return [e for e in entries if e['id'] != '']


CLOSING = '.:…?!'
TAGS = re.compile(r'</?[A-Za-z][^>]*>')


def form_problems(e):
    """What a translation lost of its original's form, or an empty list."""
    problems = []
    for n, s in sorted(e['strs'].items()):
        src = e['plural'] if n > 0 and 'plural' in e else e['id']
        label = e['id'][:50]
        if s == '':
            continue
        lead_src, lead = src[:len(src) - len(src.lstrip())], s[:len(s) - len(s.lstrip())]
        trail_src, trail = src[len(src.rstrip()):], s[len(s.rstrip()):]
        if lead_src != lead or trail_src != trail:
            problems.append('white space around “%s”' % label)
        end = src.rstrip()[-1:]
        if end and end in CLOSING and not s.rstrip().endswith(end):
            problems.append('“%s” must end with “%s”' % (label, end))
        if src.count('_') != s.count('_'):
            problems.append('underscores in “%s”' % label)
        if sorted(TAGS.findall(src)) != sorted(TAGS.findall(s)):
            problems.append('markup in “%s”' % label)
    return problems


STATS = re.compile(r'(\d+) translated messages?(?:, (\d+) fuzzy translations?)?(?:, (\d+) untranslated messages?)?')


def statistics(path):
    r = subprocess.run(['msgfmt', '--check', '--check-accelerators=_', '--statistics',
                        '-o', os.devnull, path], capture_output=True, text=True)
    m = STATS.search(r.stderr)
    counts = tuple(int(g or 0) for g in m.groups()) if m else None
    return r.returncode, r.stderr.strip(), counts


def make_template(tmp):
    listed = []
    with open(os.path.join(po_dir, 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    pot = os.path.join(tmp, 'cria.pot')
    # The same keywords as meson's glib preset.
    cmd = ['xgettext', '--from-code=UTF-8', '--add-comments', '-o', pot,
           '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
           '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
           '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
           '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
           '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
           '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format'] + listed
    r = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    return pot if r.returncode == 0 else None


with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
    linguas = [w for line in f for w in line.split('#')[0].split()]
tap(bool(linguas), 'po/LINGUAS lists languages (%s)' % ' '.join(linguas))

with open(desktop_file, encoding='utf-8') as f:
    desktop = f.read()
meta = ET.parse(metainfo_file).getroot()
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
meta_counts = {}
for el in meta.iter():
    lang = el.get(XML_LANG)
    if lang:
        meta_counts[lang] = meta_counts.get(lang, 0) + 1
meta_most = max(meta_counts.values()) if meta_counts else 0

have_tools = shutil.which('msgfmt') and shutil.which('msgmerge') and shutil.which('xgettext')
tmp = tempfile.TemporaryDirectory()
pot = make_template(tmp.name) if have_tools else None
tap(pot is not None, 'xgettext makes a template from po/POTFILES.in',
    'gettext tools are missing' if not have_tools else 'xgettext failed')

for lang in linguas:
    po = os.path.join(po_dir, lang + '.po')
    if not os.path.isfile(po):
        tap(False, '%s: po/%s.po exists' % (lang, lang))
        continue

    rc, err, counts = statistics(po)
    tap(rc == 0 and counts is not None, '%s: msgfmt --check passes' % lang, err)
    if counts is not None:
        t, fz, u = counts
        tap(t > 0 and fz == 0 and u == 0,
            '%s: %d translated, %d fuzzy, %d untranslated' % (lang, t, fz, u), err)

    if pot is not None:
        merged = os.path.join(tmp.name, lang + '.po')
        r = subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot],
                           capture_output=True, text=True)
        missing = []
        if r.returncode == 0:
            missing = [e['id'] for e in parse_po(merged)
                       if 'fuzzy' in e['flags'] or any(s == '' for s in e['strs'].values())]
        tap(r.returncode == 0 and not missing,
            '%s: every string in the sources is translated' % lang,
            r.stderr.strip() if r.returncode != 0
            else '%d new: %s' % (len(missing), '; '.join('“%s”' % m for m in missing[:10])))

    problems = [p for e in parse_po(po) for p in form_problems(e)]
    tap(not problems, '%s: translations keep white space, closing punctuation, mnemonics and markup' % lang,
        '; '.join(problems[:10]))

    keys = ['Name', 'GenericName', 'Comment', 'Keywords']
    absent = [k for k in keys if not re.search(r'^%s\[%s\]=.+$' % (k, re.escape(lang)), desktop, re.M)]
    tap(not absent, '%s: the desktop file has the translated %s' % (lang, ', '.join(keys)),
        'missing: ' + ', '.join(absent))
    kw = re.search(r'^Keywords\[%s\]=(.*)$' % re.escape(lang), desktop, re.M)
    tap(kw is not None and kw.group(1).endswith(';'), '%s: the translated Keywords end with a semicolon' % lang)

    n = meta_counts.get(lang, 0)
    tap(n > 0 and n == meta_most, '%s: the metainfo has %d translated elements' % (lang, n),
        'the most complete language has %d' % meta_most)

    mo = os.path.join(mo_root, lang, 'LC_MESSAGES', 'cria.mo')
    tap(os.path.isfile(mo), '%s: %s is built' % (lang, os.path.relpath(mo, mo_root)))

tmp.cleanup()
print('1..%d' % len(results))
sys.exit(0 if all(results) else 1)
