'use strict';
/*
 * `node --check` in one long-lived Node.js process, for lintseq's JavaScript analyzer.
 *
 * Each request names a file; it is checked by the steps of Node's own
 * lib/internal/main/check_syntax.js (format from the resolver, ModuleWrap for ES modules,
 * the CommonJS wrapper otherwise), so the errors are the ones `node --check` prints. Those
 * steps are internal to Node (run with --expose-internals): when one is missing the server
 * says "unsupported" and lintseq runs `node --check` per call instead.
 *
 * Wire format (lintseq_compilers.warm): a message is "<n>\n" then n fields, each
 * "<length in bytes>\n<bytes>". Greeting ("ready", version); answer (status, stdout,
 * stderr); the server exits when stdin closes.
 */

const fs = require('fs');
const path = require('path');
const { requestReader, send } = require('./framing.cjs');

let internals;
try {
  const { internalBinding } = require('internal/test/binding');
  const { URL, pathToFileURL } = require('internal/url');
  const { Module, wrapSafe } = require('internal/modules/cjs/loader');
  const { defaultResolve } = require('internal/modules/esm/resolve');
  const { defaultGetFormat } = require('internal/modules/esm/get_format');
  const { ModuleWrap } = internalBinding('module_wrap');
  const { privateSymbols } = internalBinding('util');
  internals = { URL, pathToFileURL, Module, wrapSafe, defaultResolve, defaultGetFormat, ModuleWrap,
    arrow: privateSymbols.arrow_message_private_symbol,
    decorated: privateSymbols.decorated_private_symbol };
  for (const [name, value] of Object.entries(internals)) {
    if (value === undefined) throw new Error(`node internal ${name} not found`);
  }
} catch (error) {
  send('unsupported', `node ${process.version}: ${error.message}`);
  process.exit(0);
}

async function checkSyntax(file) {
  const { URL, pathToFileURL, Module, wrapSafe, defaultResolve, defaultGetFormat, ModuleWrap } = internals;
  const filename = Module._resolveFilename(path.resolve(file));
  const source = fs.readFileSync(filename, 'utf-8');
  const { url } = await defaultResolve(pathToFileURL(filename).toString());
  const format = await defaultGetFormat(new URL(url));
  if (format === 'module') {
    new ModuleWrap(filename, undefined, source, 0, 0);
    return;
  }
  wrapSafe(filename, source, undefined, format);
}

function describe(error) {
  // What Node prints for an uncaught error: the source arrow, then the stack.
  if (error === null || typeof error !== 'object') return `Uncaught ${String(error)}\n`;
  const arrow = error[internals.arrow];
  const stack = String(error.stack);
  const head = arrow && !error[internals.decorated] && !stack.startsWith(arrow) ? `${arrow}\n` : '';
  return `${head}${stack}\n\nNode.js ${process.version}\n`;
}

async function handle(fields) {
  try {
    await checkSyntax(fields[0]);
    send(0, '', '');
  } catch (error) {
    send(1, '', describe(error));
  }
}

// Read framed requests from stdin, one at a time.
let queue = Promise.resolve();

process.stdin.on('data', requestReader((request) => {
  queue = queue.then(() => handle(request));
}));
process.stdin.on('end', () => queue.then(() => process.exit(0)));

send('ready', process.version);
