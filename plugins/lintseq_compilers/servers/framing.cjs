'use strict';
// The request framing every warm server reads on stdin (see warm.py): a line with the number
// of fields, then per field a line with its length in bytes and the bytes themselves.
// Shared by node_check.js (CommonJS) and tsc_api.mjs (an ES module, through createRequire).

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

module.exports = { requestReader };
