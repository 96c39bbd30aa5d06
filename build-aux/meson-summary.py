#!/usr/bin/python3
# build-aux/meson-summary.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Summarise one or more meson test logs (meson-logs/testlog.json).

Counts the sub-tests of TAP tests (GTest prints TAP): "ok" passes, "not ok" fails, "# SKIP" and
"# TODO" are skipped. A test without TAP lines counts as one. A test binary that crashed, timed
out or exited non-zero counts as one more failure unless one of its TAP lines already failed,
so a crash after the last "ok" is never lost.

For every failing test it prints the failing sub-tests and the tail of the test's output.
The last line is "N passed, N failed" (plus ", N skipped" when some were skipped).
With --counts FILE it also writes "PASSED FAILED SKIPPED" to FILE for build-aux/test.sh.
Exits 1 if anything failed.
"""
import argparse
import json
import re
import sys

TAP = re.compile(r'(not )?ok\b')
SKIP = re.compile(r'#\s*(SKIP|TODO)', re.I)
GOOD = ('OK', 'EXPECTEDFAIL')
REPORT = re.compile(r'==\d+==ERROR: |runtime error: |^\*\*$|GLib.*(ERROR|CRITICAL) \*\*')


def summarise(path, tail_lines):
    passed = failed = skipped = 0
    reports = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for raw in f:
            raw = raw.strip()
            if not raw:
                continue
            t = json.loads(raw)
            out = t.get('stdout') or ''
            tap = [l for l in out.splitlines() if TAP.match(l)]
            bad = [l for l in tap if l.startswith('not ok') and not SKIP.search(l)]
            for l in tap:
                if SKIP.search(l):
                    skipped += 1
                elif l.startswith('ok'):
                    passed += 1
                else:
                    failed += 1
            result = t.get('result')
            if not tap:
                if result in GOOD:
                    passed += 1
                elif result == 'SKIP':
                    skipped += 1
                else:
                    failed += 1
            elif result not in GOOD + ('SKIP',) and not bad:
                # Crashed, bailed out, timed out or leaked after its last TAP line.
                failed += 1
            if result not in GOOD + ('SKIP',) or bad:
                reports.append((t, bad, tap))

    for t, bad, tap in reports:
        print(f"FAIL {t.get('name')}: {t.get('result')}, exit status {t.get('returncode')}, "
              f"{t.get('duration', 0):.1f}s")
        for l in bad:
            print(f'    {l[:300]}')
        if not bad and tap:
            # Timed out or crashed between sub-tests: the last one that reported is a clue.
            print(f'    last TAP line: {tap[-1]}')
        text = ((t.get('stdout') or '') + '\n' + (t.get('stderr') or '')).rstrip('\n')
        lines = text.splitlines()
        # A sanitizer or GLib report says what went wrong: show it from a few lines before its
        # first line (without ASan's shadow-byte map), then the end of the output. Otherwise
        # just the end.
        first = next((i for i, l in enumerate(lines) if REPORT.search(l)), None)
        shown = []
        if first is not None:
            for i in range(max(0, first - 5), min(first + tail_lines, len(lines))):
                if lines[i].startswith('Shadow bytes around'):
                    break
                shown.append(i)
            shown += [i for i, l in enumerate(lines) if i > first and l.startswith('SUMMARY: ')]
            shown += list(range(max(0, len(lines) - 2), len(lines)))
        else:
            shown = list(range(max(0, len(lines) - tail_lines), len(lines)))
        last = None
        for i in sorted(set(shown)):
            if last is not None and i > last + 1:
                print('    | ...')
            text_line = lines[i]
            if len(text_line) > 300:
                # GTest folds a failed subprocess's whole stderr into one comment line.
                text_line = text_line[:300] + f' … ({len(text_line) - 300} more characters)'
            print(f'    | {text_line}')
            last = i
    return passed, failed, skipped


def line(passed, failed, skipped):
    s = f'{passed} passed, {failed} failed'
    return s + (f', {skipped} skipped' if skipped else '')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('testlog', nargs='*', default=['build/meson-logs/testlog.json'])
    ap.add_argument('--counts', metavar='FILE', help='write "PASSED FAILED SKIPPED" to FILE')
    ap.add_argument('--tail', type=int, default=40, help='output lines shown per failing test')
    args = ap.parse_args()

    passed = failed = skipped = 0
    for path in args.testlog:
        try:
            p, f, s = summarise(path, args.tail)
        except (OSError, ValueError) as e:
            print(f'FAIL {path}: cannot read the test log: {e}')
            p, f, s = 0, 1, 0
        passed, failed, skipped = passed + p, failed + f, skipped + s

    if args.counts:
        with open(args.counts, 'w') as f:
            f.write(f'{passed} {failed} {skipped}\n')
    print(line(passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
