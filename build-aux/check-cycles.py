#!/usr/bin/env python3
# check-cycles.py
#
# Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# No two classes call each other. From the static libraries the build made,
# this reads which object file defines each function and which it calls
# (nm), and refuses a cycle between files that are not one class. The files
# of one class are those that share its private header (cria-window.c,
# cria-window-actions.c … share cria-window-private.h): they may call each
# other; every other call goes one way only, down.

import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"(cria-[a-z0-9-]+-private\.h)"', re.M)


def class_of(stem, private_headers):
    """The class a file belongs to: the shortest private header it includes,
    directly or through another header, that is named like it; else the
    file itself."""
    best = stem
    for header in private_headers:
        owner = header[:-len('-private.h')]
        if (stem == owner or stem.startswith(owner + '-')) and len(owner) <= len(best):
            best = owner
    return best


def included(path, headers, seen=None):
    """The private headers @path includes, directly or not."""
    seen = set() if seen is None else seen
    with open(path, encoding='utf-8') as f:
        for header in INCLUDE.findall(f.read()):
            if header not in seen and header in headers:
                seen.add(header)
                included(headers[header], headers, seen)
    return seen


def main(source_root, libraries):
    sources, headers = {}, {}
    for folder, _, names in os.walk(os.path.join(source_root, 'src')):
        for name in names:
            if name.endswith('.c'):
                sources[name] = os.path.join(folder, name)
            elif name.endswith('-private.h'):
                headers[name] = os.path.join(folder, name)

    defined = {}
    uses = {}
    for library in libraries:
        out = subprocess.run(['nm', '--defined-only', '-A', '-g', library],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            where, _, rest = line.rpartition(':')
            parts = rest.split()
            if len(parts) == 3:
                obj = os.path.basename(where.split(':')[-1])
                defined[parts[2]] = obj
        out = subprocess.run(['nm', '--undefined-only', '-A', library],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            where, _, rest = line.rpartition(':')
            parts = rest.split()
            if len(parts) == 2:
                obj = os.path.basename(where.split(':')[-1])
                uses.setdefault(obj, set()).add(parts[1])

    def source_of(obj):
        return obj[:-len('.o')] if obj.endswith('.c.o') else obj

    klass = {}
    for obj in set(defined.values()) | set(uses):
        name = source_of(obj)
        path = sources.get(name)
        private = included(path, headers) if path is not None else set()
        klass[name] = class_of(name[:-len('.c')], private)

    edges = {}
    for obj, symbols in uses.items():
        a = source_of(obj)
        for symbol in symbols:
            b = defined.get(symbol)
            if b is not None:
                b = source_of(b)
                if b != a and klass[a] != klass[b]:
                    edges.setdefault(a, {}).setdefault(b, symbol)

    # Tarjan's strongly connected components, iteratively.
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in sorted(set(edges) | {b for e in edges.values() for b in e}):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, {}))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))

    for component in components:
        print('a cycle between classes: ' + ', '.join(component))
        members = set(component)
        for a in component:
            for b, symbol in sorted(edges.get(a, {}).items()):
                if b in members:
                    print(f'  {a} calls {symbol} in {b}')
    print(f'{len(klass)} files checked, {len(components)} cycles')
    return 1 if components else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2:]))
