'use strict';
// The framing every warm server speaks (see warm.py): a line with the number of fields,
// then per field a line with its length in bytes and the bytes themselves. Requests are
// read from stdin, answers written to stdout. Shared by node_check.js (CommonJS) and
// tsc_api.mjs (an ES module, through createRequire).

const fs = require('fs');

// Write one message to stdout, synchronously so that an exit right after loses nothing.
function send(...fields) {
  const parts = [Buffer.from(`${fields.length}\n`)];
  for (const field of fields) {
    const data = Buffer.from(String(field), 'utf8');
    parts.push(Buffer.from(`${data.length}\n`), data);
  }
  fs.writeSync(1, Buffer.concat(parts));
}

function requestReader(onRequest) {
  let buffer = Buffer.alloc(0);

  function parse() {
    const fields = [];
    let pos = 0;
    const readInt = () => {
      const end = buffer.indexOf(10, pos);
      if (end < 0) return null;
      const value = parseInt(buffer.toString('latin1', pos, end), 10);
      pos = end + 1;
      return value;
    };
    const n = readInt();
    if (n === null) return null;
    for (let i = 0; i < n; i++) {
      const len = readInt();
      if (len === null || buffer.length < pos + len) return null;
      fields.push(buffer.toString('utf8', pos, pos + len));
      pos += len;
    }
    buffer = buffer.subarray(pos);
    return fields;
  }

  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    let fields;
    while ((fields = parse()) !== null) onRequest(fields);
  };
}

module.exports = { requestReader, send };
