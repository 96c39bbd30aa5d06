#!/usr/bin/python3
# build-aux/check-file-cycles.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-file-cycles.py SOURCE_ROOT [--split A.c,B.c,...]... DIR...

Checks that no two .c files under each DIR (searched recursively) call each other, directly or
around a loop: which .c calls a function defined in which other .c, as a graph, and its strongly
connected components. Each --split names the files of one class split over several files through
its private header (cria-conversation.c and cria-conversation-reply.c), which count as one file;
every other file is a unit of its own, so a queue and its SQLite helpers, or a model and the
planner of its requests, may not call each other. Prints TAP.

The reading is textual: a function is defined where its name starts a line, followed by `(` and,
before any `;`, a `{`; a call is the name anywhere else, comments and strings left out.
"""
import os
import re
import sys

DEFINE = re.compile(r'^([a-z_]\w*)\s*\(')
GTYPE = re.compile(r'G_DEFINE_(?:FINAL_)?(?:TYPE|ABSTRACT_TYPE|BOXED_TYPE)\w*\s*\(\s*(\w+)\s*,\s*(\w+)')
QUARK = re.compile(r'G_DEFINE_QUARK\s*\([^,]+,\s*(\w+)\)')
WORD = re.compile(r'\b([A-Za-z_]\w*)\b')


def strip(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def read_files(directory):
    found = {}
    for parent, _dirs, names in os.walk(directory):
        for name in names:
            if name.endswith('.c'):
                path = os.path.join(parent, name)
                with open(path, encoding='utf-8') as f:
                    found[path] = strip(f.read())
    return found


def definitions(files):
    defined = {}
    for path, text in files.items():
        lines = text.split('\n')
        for i, line in enumerate(lines):
            m = DEFINE.match(line)
            if m is None or i == 0 or lines[i - 1].startswith('static'):
                continue
            rest = '\n'.join(lines[i:i + 40])
            brace, semi = rest.find('{'), rest.find(';')
            if brace != -1 and (semi == -1 or brace < semi):
                defined.setdefault(m.group(1), set()).add(path)
        for m in GTYPE.finditer(text):
            defined.setdefault(m.group(2) + '_get_type', set()).add(path)
        for m in QUARK.finditer(text):
            defined.setdefault(m.group(1) + '_quark', set()).add(path)
    return defined


def class_of(path, splits):
    name = os.path.basename(path)
    for group in splits:
        if name in group:
            return '+'.join(sorted(group))
    return name[:-2]


def components(graph):
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            result.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def check(directory, splits):
    files = read_files(directory)
    defined = definitions(files)
    classes = {path: class_of(path, splits) for path in files}
    # Calls between files of different classes only, as class → class.
    graph = {c: set() for c in classes.values()}
    why = {}
    for path, text in files.items():
        for m in WORD.finditer(text):
            for target in defined.get(m.group(1), ()):
                a, b = classes[path], classes[target]
                if a != b:
                    graph[a].add(b)
                    why.setdefault((a, b), set()).add('%s → %s: %s' % (
                        os.path.basename(path), os.path.basename(target), m.group(1)))
    problems = []
    for comp in components(graph):
        if len(comp) > 1:
            lines = ['cycle between ' + ', '.join(sorted(comp))]
            for a in sorted(comp):
                for b in sorted(comp):
                    for reason in sorted(why.get((a, b), ()))[:4]:
                        lines.append('  ' + reason)
            problems.append('\n'.join(lines))
    return len(files), problems


def main():
    args = sys.argv[1:]
    root = args.pop(0) if args else '.'
    splits = []
    directories = []
    while args:
        arg = args.pop(0)
        if arg == '--split' and args:
            splits.append(set(args.pop(0).split(',')))
        else:
            directories.append(arg)
    directories = directories or ['src/core']
    print('1..%d' % len(directories))
    failed = False
    for n, directory in enumerate(directories, 1):
        n_files, problems = check(os.path.join(root, directory), splits)
        if problems or n_files == 0:
            failed = True
            print('not ok %d - no file cycles in %s' % (n, directory))
            for problem in problems or ['no .c files found']:
                for line in problem.split('\n'):
                    print('# ' + line)
        else:
            print('ok %d - no file cycles in %s (%d files)' % (n, directory, n_files))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
