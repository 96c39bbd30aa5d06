// scripted-server.mjs
//
// Copyright 2026 The Cria authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// An MCP server over stdio that misbehaves on purpose, for what the reference
// servers never do: its first argument picks the behaviour.
//   paged        tools/list in three pages
//   loop-cursor  tools/list always hands out the same cursor
//   silent       reads everything and never answers
//   old-version  answers with protocol revision 2025-03-26
//   bad-version  answers with a revision no client knows
//   huge-line    answers initialize with a line that never ends
//   lone-half    cuts an emoji in two in its name and a tool's description,
//                as JavaScript strings allow (JSON.stringify writes \ud83d)

import { createInterface } from 'node:readline';

const mode = process.argv[2] ?? 'paged';
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const tool = (name) => ({ name, description: `Tool ${name}`, inputSchema: { type: 'object' } });
const pages = { '': [['one', 'two'], 'p2'], p2: [['three'], 'p3'], p3: [['four', 'five'], null] };

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (mode === 'silent' || message.id === undefined)
    return;
  if (message.method === 'initialize') {
    if (mode === 'huge-line') {
      const chunk = 'x'.repeat(1 << 20);
      const more = () => { if (process.stdout.write(chunk)) setImmediate(more); else process.stdout.once('drain', more); };
      more();
      return;
    }
    const version = { 'old-version': '2025-03-26', 'bad-version': '2099-01-01' }[mode] ?? message.params.protocolVersion;
    const name = mode === 'lone-half' ? 'scripted \u{1f600}'.slice(0, -1) : 'scripted';
    send({ jsonrpc: '2.0', id: message.id, result: {
      protocolVersion: version, capabilities: { tools: { listChanged: false } },
      serverInfo: { name, version: '1.0' } } });
  } else if (message.method === 'tools/list') {
    if (mode === 'loop-cursor') {
      send({ jsonrpc: '2.0', id: message.id, result: { tools: [tool('again')], nextCursor: 'same' } });
      return;
    }
    if (mode === 'lone-half') {
      send({ jsonrpc: '2.0', id: message.id, result: { tools: [
        { ...tool('smile'), description: 'Smiles \u{1f600}'.slice(0, -1) + ' back' }] } });
      return;
    }
    const [names, next] = pages[message.params?.cursor ?? ''];
    const result = { tools: names.map(tool) };
    if (next)
      result.nextCursor = next;
    send({ jsonrpc: '2.0', id: message.id, result });
  } else {
    send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
  }
});
