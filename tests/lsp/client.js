#!/usr/bin/env node
// A minimal LSP client: runs yaml-language-server over stdio on one YAML file, the way VS Code's
// YAML extension does, and prints what an editor would show as JSON on stdout.
//
//   node client.js REQUEST.json
//   REQUEST: {"file": "/abs/path.yaml", "completions": [[line, character], ...],
//             "hovers": [[line, character], ...]}        (0-based positions, as in LSP)
//   output:  {"diagnostics": [...], "completions": [[label, ...], ...], "hovers": ["text", ...]}
//
// The online schema store is turned off: the schema comes only from the file's
// `# yaml-language-server: $schema=…` line, so the test needs no network.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const uri = pathToFileURL(request.file).href;
const text = fs.readFileSync(request.file, 'utf8');
const settings = {
  yaml: {
    schemaStore: { enable: false },
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemas: {},
  },
};

const serverPath = path.join(__dirname, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const server = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });

let nextId = 1;
const pending = new Map();
let diagnostics = null;
let lastDiagnosticsAt = 0;

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}

function call(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

function notify(method, params) {
  send({ method, params });
}

function answer(message) {
  // requests from the server to the client (configuration, capability registration, …)
  let result = null;
  if (message.method === 'workspace/configuration') {
    result = message.params.items.map((item) => {
      const section = item.section || '';
      return section.split('.').reduce((value, key) => (value && key ? value[key] : value), settings) ?? null;
    });
  }
  send({ id: message.id, result });
}

let buffer = Buffer.alloc(0);
server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const header = buffer.subarray(0, headerEnd).toString('ascii');
    const match = /Content-Length: (\d+)/i.exec(header);
    const length = Number(match[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
    buffer = buffer.subarray(headerEnd + 4 + length);
    if (message.id !== undefined && message.method) {
      answer(message);
    } else if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (waiter) (message.error ? waiter.reject(new Error(JSON.stringify(message.error))) : waiter.resolve(message.result));
    } else if (message.method === 'textDocument/publishDiagnostics' && message.params.uri === uri) {
      diagnostics = message.params.diagnostics;
      lastDiagnosticsAt = Date.now();
    }
  }
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function hoverText(result) {
  if (!result) return '';
  const contents = result.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value || '';
}

async function main() {
  const rootUri = pathToFileURL(path.dirname(request.file)).href;
  await call('initialize', {
    processId: process.pid,
    rootUri,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
      },
    },
    initializationOptions: {},
  });
  notify('initialized', {});
  notify('workspace/didChangeConfiguration', { settings });
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });

  const completions = [];
  for (const [line, character] of request.completions || []) {
    const result = await call('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    const items = Array.isArray(result) ? result : (result && result.items) || [];
    completions.push(items.map((item) => item.label));
  }
  const hovers = [];
  for (const [line, character] of request.hovers || []) {
    hovers.push(hoverText(await call('textDocument/hover', { textDocument: { uri }, position: { line, character } })));
  }
  // diagnostics are pushed by the server: wait for them, then for a quiet moment
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && (diagnostics === null || Date.now() - lastDiagnosticsAt < 1500)) {
    await sleep(100);
  }
  await call('shutdown', null);
  notify('exit', null);
  process.stdout.write(JSON.stringify({ diagnostics: diagnostics || [], completions, hovers }, null, 2) + '\n');
}

main().then(
  () => setTimeout(() => process.exit(0), 200),
  (error) => {
    process.stderr.write(`lsp client: ${error.stack || error}\n`);
    server.kill();
    process.exit(3);
  },
);
