/*
 * `tsc --noEmit` in one long-lived process, for lintseq's TypeScript analyzer.
 *
 * TypeScript 7 compiles natively; its API (typescript/unstable/sync) keeps one compiler
 * process with the default libraries loaded, and each request only replaces the checked
 * file. The diagnostics are gathered in the order and with the short-circuits of the
 * command line (syntax errors hide the rest, as do option and global errors) and printed
 * in its `--pretty false` format. Older TypeScript (the JavaScript compiler API, < 7)
 * is not handled here: the server says "unsupported" and lintseq runs `tsc` per call.
 *
 * argv: <typescript package dir> <private directory>
 * Wire format (lintseq_compilers.warm): a message is "<n>\n" then n fields, each
 * "<length in bytes>\n<bytes>". Greeting ("ready", version); request (file name,
 * source, compiler options as JSON); answer (status, stdout, stderr), or ("error", why) when this state could not
 * be checked (lintseq then runs `tsc` for it); the server exits when stdin closes.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const { requestReader, send } = createRequire(import.meta.url)("./framing.cjs");

const [packageDir, workdir] = process.argv.slice(2);
const version = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")).version;
let API;
try {
  if (parseInt(version, 10) < 7) throw new Error("the warm server needs TypeScript >= 7");
  ({ API } = await import(pathToFileURL(path.join(packageDir, "dist/api/sync/api.js")).href));
} catch (error) {
  send("unsupported", `typescript ${version}: ${error.message}`);
  process.exit(0);
}

const files = new Map();
const configPath = path.join(workdir, "tsconfig.json");
let api = null;
let snapshot = null;
let current = null; // the file name and options of the open project
let served = 0; // requests answered by the current compiler process
// The compiler process keeps growing (~0.1 MB a request, measured): a fresh one every
// RECYCLE requests bounds its memory for the cost of one start (~0.3 s).
const RECYCLE = 1000;

function open(fileName, optionsJson) {
  // One project per file name and options: a change of either starts a fresh compiler.
  const key = `${fileName}\0${optionsJson}`;
  if (api !== null && current === key && served < RECYCLE) return false;
  if (api !== null) api.close();
  snapshot = null;
  files.clear();
  files.set(configPath, JSON.stringify({ compilerOptions: JSON.parse(optionsJson), files: [fileName] }));
  api = new API({
    cwd: workdir,
    fs: {
      readFile: (f) => (files.has(f) ? files.get(f) : undefined),
      fileExists: (f) => (files.has(f) ? true : undefined),
    },
  });
  current = key;
  served = 0;
  return true;
}

// Line starts as TypeScript computes them (\r\n, \r, \n, U+2028, U+2029), in UTF-16 units.
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 || c === 0x2028 || c === 0x2029) {
      starts.push(i + 1);
    }
  }
  return starts;
}

// Line and column (1-based) of a position in UTF-16 units, as the API reports them.
function position(starts, pos) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid; else hi = mid - 1;
  }
  return [lo + 1, pos - starts[lo] + 1];
}

const CATEGORY = ["warning", "error", "suggestion", "message"];

function check(fileName, source, optionsJson) {
  const file = path.join(workdir, fileName);
  const fresh = open(fileName, optionsJson);
  served += 1;
  files.set(file, source);
  if (snapshot !== null) snapshot.dispose();
  snapshot = fresh
    ? api.updateSnapshot({ openProjects: [configPath] })
    : api.updateSnapshot({ fileChanges: { changed: [file] } });
  const program = snapshot.getProjects()[0].program;
  // emitFilesAndReportErrors: each group is reported only if the ones before are empty.
  let diagnostics = [...program.getConfigFileParsingDiagnostics()];
  const base = diagnostics.length;
  diagnostics.push(...program.getSyntacticDiagnostics());
  if (diagnostics.length === base) {
    diagnostics.push(...program.getProgramDiagnostics(), ...program.getGlobalDiagnostics());
    if (diagnostics.length === base) diagnostics.push(...program.getSemanticDiagnostics());
  }
  const starts = lineStarts(source);
  const lines = [];
  let errors = 0;
  for (const d of diagnostics) {
    const category = CATEGORY[d.category] ?? "error";
    errors += category === "error";
    let where = "";
    if (d.fileName) {
      const [line, col] = d.fileName === file ? position(starts, d.pos) : [1, 1];
      where = `${d.fileName === file ? fileName : d.fileName}(${line},${col}): `;
    }
    lines.push(`${where}${category} TS${d.code}: ${d.text}`);
  }
  return [errors ? 1 : 0, lines.join("\n")];
}

process.stdin.on("data", requestReader((fields) => {
  try {
    const [status, out] = check(fields[0], fields[1], fields[2]);
    send(status, out, "");
  } catch (error) {
    send("error", String(error.stack));
    // Start from a fresh compiler process after any failure.
    try { api?.close(); } catch { /* already gone */ }
    api = null;
    snapshot = null;
  }
}));
process.stdin.on("end", () => {
  try { api?.close(); } catch { /* already gone */ }
  process.exit(0);
});

send("ready", version);
