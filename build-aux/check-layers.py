#!/usr/bin/env python3
# check-layers.py
#
# Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The core's layers, checked where the build cannot: each folder of src/core
# is a library that can only include its own headers and those of the layers
# below it, and the build enforces that through include directories. A path
# such as "../chat/cria-message.h" would slip past it, and so would a header
# of the same name in two folders; this check refuses both, and GTK anywhere
# in the core.

import os
import re
import sys

ALLOWED = {
    'types': set(),
    'markdown': set(),
    'images': set(),
    'math': set(),
    'documents': {'types'},
    'api': {'types'},
    'account': {'types', 'api'},
    'store': {'types', 'documents'},
    'tools': {'types', 'api', 'store'},
    'mcp': {'types', 'api', 'store', 'tools'},
    'retrieval': {'types', 'api', 'documents', 'store'},
    'chat': {'types', 'api', 'markdown', 'images', 'documents', 'store', 'tools', 'mcp', 'retrieval'},
}
GENERATED = {
    'cria-types-enums.h': 'types',
    'cria-api-resources.h': 'api',
    'cria-markdown-enums.h': 'markdown',
    'cria-store-enums.h': 'store',
    'cria-mcp-enums.h': 'mcp',
    'cria-chat-enums.h': 'chat',
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def main(core):
    owner = dict(GENERATED)
    problems = []
    for layer in ALLOWED:
        for name in os.listdir(os.path.join(core, layer)):
            if name.endswith('.h'):
                if name in owner:
                    problems.append(f'{name} is in both {owner[name]}/ and {layer}/')
                owner[name] = layer
    for layer in sorted(os.listdir(core)):
        path = os.path.join(core, layer)
        if not os.path.isdir(path):
            continue
        if layer not in ALLOWED:
            problems.append(f'src/core/{layer}/ is not a known layer: add it to {sys.argv[0]}')
            continue
        for name in sorted(os.listdir(path)):
            if not name.endswith(('.c', '.h')):
                continue
            with open(os.path.join(path, name), encoding='utf-8') as f:
                text = f.read()
            for kind, target in INCLUDE.findall(text):
                where = f'src/core/{layer}/{name}: #include {target}'
                if kind == '<':
                    if target.startswith(('gtk/', 'adwaita', 'gtksourceview')):
                        problems.append(f'{where}: the core never uses GTK')
                    continue
                if '/' in target:
                    problems.append(f'{where}: include a core header by its name only')
                    continue
                if target == 'config.h':
                    continue
                other = owner.get(target)
                if other is None:
                    problems.append(f'{where}: no core layer has this header')
                elif other != layer and other not in ALLOWED[layer]:
                    problems.append(f'{where}: {layer}/ may not use {other}/')
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else 'src/core'))
