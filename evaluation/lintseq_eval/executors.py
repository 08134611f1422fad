"""Language executors: program + benchmark tests -> sandboxed stages -> PASS/FAIL/TIMEOUT/ERROR.

A pass needs proof that the tests ran to the end: each sample gets a fresh random nonce,
which only the harness code that runs *after* the tests prints. A program that exits early
(``sys.exit(0)``, ``os._exit(0)``, ``process.exit(0)``, ``exit(0)``), kills its parent,
swallows the test harness or prints a fake success line never prints the nonce, so it
fails. Where the language allows it the nonce is kept out of the program's reach while it
runs (Python and JavaScript read it from a file that is deleted before the program starts);
in compiled languages it is compiled into the harness's ``main``. This is a guard against
code that cheats by accident or by a simple trick, not against code written to search the
harness for its secret.

Per language (tests are the benchmark's own; see :mod:`lintseq_eval.programs`):

* python: ``program.py`` = [sanitized MBPP test imports] + program + [MBPP setup code] +
  tests, run by a runner that
  ``exec``\\ s it and prints the nonce afterwards.
* js: ``program.js`` = program + tests, ``require``\\ d by a runner; ``console.assert``
  (which only logs in Node) is replaced by a throwing, non-writable version first.
* cpp: includes + program + tests with their ``main`` renamed; the harness ``main`` calls
  it, then prints the nonce. ``g++ -std=c++17``, linked with ``-lcrypto`` (CPP/162 uses MD5).
* java: ``Main.java`` = program + tests; ``LintseqRunner.main`` calls ``Main.main``.
* go: a ``go test`` package whose ``TestMain`` prints the nonce only if every test passed;
  ``github.com/stretchr/testify/assert`` is a bundled shim (see :mod:`lintseq_eval.shims`).
  Built with ``-vet=off`` (4x faster): ``go vet`` findings do not fail a sample, only the
  compiler and the tests do.
* rust: ``rustc --test``; a last test (libtest runs tests sorted by name, one thread)
  prints the nonce, and the binary must also exit 0.
"""

from __future__ import annotations

import enum
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lintseq_eval.benchmarks import Task
from lintseq_eval.errors import ToolchainMissingError
from lintseq_eval.sandbox import Limits, SandboxResult, Stage, run_sandboxed

__all__ = [
    "LANGUAGES",
    "Outcome",
    "Prepared",
    "Status",
    "check_toolchain",
    "execute",
    "prepare",
    "verdict",
]

LANGUAGES = ("python", "js", "cpp", "java", "go", "rust")


class Status(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"  # the harness could not run the sample (not the sample's fault)


@dataclass(frozen=True)
class Outcome:
    status: Status
    reason: str
    wall_s: float


@dataclass(frozen=True)
class Prepared:
    """Files and stages of one sample, ready for the sandbox."""

    files: Mapping[str, str]
    stages: tuple[Stage, ...]
    nonce: str
    env: Mapping[str, str] = field(default_factory=dict)
    extra_ro: tuple[str, ...] = ()
    cleanup: tuple[str, ...] = ()  # removed before the run stage (sources holding the nonce)


# --------------------------------------------------------------------------- toolchains

_TOOLS = {
    "python": (),
    "js": ("node",),
    "cpp": ("g++",),
    "java": ("javac", "java"),
    "go": ("go",),
    "rust": ("rustc",),
}
_INSTALL_HINT = {
    "js": "apt-get install nodejs",
    "cpp": "apt-get install g++ libssl-dev",
    "java": "apt-get install default-jdk-headless",
    "go": "apt-get install golang-go",
    "rust": "install rustc (apt-get install rustc, or rustup)",
}


@cache
def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolchainMissingError(f"`{name}` is not on PATH")
    if name == "rustc":  # often a rustup proxy: use the real compiler of the active toolchain
        proc = subprocess.run([path, "--print", "sysroot"], capture_output=True, text=True)
        if proc.returncode != 0:
            raise ToolchainMissingError(f"rustc does not run: {proc.stderr.strip()[-300:]}")
        return str(Path(proc.stdout.strip(), "bin", "rustc"))
    return str(Path(path).resolve())


def check_toolchain(language: str) -> tuple[str, ...]:
    """Host paths the language's toolchain needs mounted; raises if a tool is missing."""
    return _check_toolchain(language, python_interpreter() if language == "python" else "")


@cache
def _check_toolchain(language: str, py: str) -> tuple[str, ...]:
    if language not in _TOOLS:
        raise ToolchainMissingError(f"no executor for language {language!r}; known: {LANGUAGES}")
    try:
        paths = [str(Path(_tool(t)).parent) for t in _TOOLS[language]]
    except ToolchainMissingError as exc:
        raise ToolchainMissingError(
            f"{language} samples need {', '.join(_TOOLS[language])}: {exc}; {_INSTALL_HINT[language]}"
        ) from exc
    if language == "js":
        paths += [d for d in node_path().split(os.pathsep) if d]
    if language == "python":
        if py == sys.executable:
            paths += [sys.prefix, sys.base_prefix]
        paths.append(str(Path(py).resolve().parent.parent))
    if language == "rust":
        paths.append(str(Path(_tool("rustc")).parent.parent))  # the sysroot
        from lintseq_eval.shims import rust_crates_dir

        paths.append(str(rust_crates_dir()))
    if language == "go":
        goroot = subprocess.run([_tool("go"), "env", "GOROOT"], capture_output=True, text=True)
        if goroot.returncode != 0:
            raise ToolchainMissingError(f"go does not run: {goroot.stderr.strip()}")
        paths.append(goroot.stdout.strip())
    return tuple(paths)


# --------------------------------------------------------------------------- per language


def _python_tests(task: Task) -> tuple[str, str]:
    """(code before the program, code after it) for a Python task."""
    raw = task.raw
    if task.benchmark == "mbpp":  # setup code uses the program's names (Mbpp/367): after it
        setup = raw.get("test_setup_code", "").replace("\r\n", "\n")
        return "", (setup + "\n" if setup.strip() else "") + "\n".join(raw["test_list"])
    if task.benchmark == "mbpp-sanitized":
        return "\n".join(raw.get("test_imports", [])), "\n".join(raw["test_list"])
    if task.benchmark == "humaneval":
        return "", raw["test"] + f"\n\ncheck({raw['entry_point']})\n"
    return "", raw["test"]  # HumanEval-X python: the test already calls check(...)


_PY_RUNNER = """\
import os as _os
import sys as _sys


def _lintseq_run():
    with open(".lintseq_nonce", encoding="ascii") as fh:
        nonce = fh.read().strip()
    _os.unlink(".lintseq_nonce")
    write = _os.write
    with open("program.py", encoding="utf-8") as fh:
        source = fh.read()
    code = compile(source, "program.py", "exec")
    namespace = {"__name__": "__main__", "__file__": "program.py", "__builtins__": __builtins__}
    exec(code, namespace)
    _sys.stdout.flush()
    write(1, ("\\n" + nonce + "\\n").encode("ascii"))


_lintseq_run()
"""


def python_interpreter() -> str:
    """Samples run with ``$LINTSEQ_PYTHON`` or else this interpreter (same packages as the user)."""
    py = os.environ.get("LINTSEQ_PYTHON") or sys.executable
    if not os.path.isfile(py):
        raise ToolchainMissingError(f"LINTSEQ_PYTHON={py} is not a file")
    return py


def _prep_python(task: Task, program: str, nonce: str, limits: Limits) -> Prepared:
    before, after = _python_tests(task)
    source = (before + "\n" if before else "") + program + "\n\n" + after + "\n"
    py = python_interpreter()
    return Prepared(
        {"program.py": source, "runner.py": _PY_RUNNER, ".lintseq_nonce": nonce},
        (Stage("run", (py, "-B", "-I", "runner.py"), limits.run_timeout_s),),
        nonce,
        {"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"},
    )


_JS_RUNNER = """\
'use strict';
const fs = require('fs');
const nonce = fs.readFileSync('.lintseq_nonce', 'ascii').trim();
fs.unlinkSync('.lintseq_nonce');
const writeSync = fs.writeSync;
function strictAssert(condition, ...message) {
  if (!condition) {
    throw new Error('Assertion failed' + (message.length ? ': ' + message.join(' ') : ''));
  }
}
Object.defineProperty(console, 'assert', {value: strictAssert, writable: false, configurable: false});
require('./program.js');
writeSync(1, '\\n' + nonce + '\\n');
"""


def node_path() -> str:
    """Global node_modules folders (JavaScript/162 requires the npm package ``js-md5``)."""
    dirs = [d for d in os.environ.get("LINTSEQ_NODE_PATH", "").split(os.pathsep) if d]
    dirs += ["/usr/local/lib/node_modules", "/usr/lib/node_modules"]
    return os.pathsep.join(d for d in dirs if os.path.isdir(d))


def _prep_js(task: Task, program: str, nonce: str, limits: Limits) -> Prepared:
    source = program + "\n\n" + task.raw["test"] + "\n"
    return Prepared(
        {"program.js": source, "runner.js": _JS_RUNNER, ".lintseq_nonce": nonce},
        (Stage("run", (_tool("node"), "--max-old-space-size=2048", "runner.js"), limits.run_timeout_s),),
        nonce,
        {"NODE_PATH": node_path()},
    )


# Headers every HumanEval-X C++ sample gets (as CodeGeeX's harness does): the canonical
# solutions rely on some that the prompts do not include. Not <cstring>/<string.h>: with them,
# CPP/23's test `strlen("x")` calls C's strlen instead of the program's `strlen(string)`.
_CPP_HEADERS = (
    "math.h", "stdio.h", "stdlib.h", "climits", "iostream", "algorithm",
    "vector", "string", "map", "set", "unordered_map", "unordered_set", "sstream", "numeric",
    "cmath", "queue", "stack", "deque", "functional", "cstdio", "openssl/md5.h",
)


def _prep_cpp(task: Task, program: str, nonce: str, limits: Limits) -> Prepared:
    includes = "".join(f"#include <{h}>\n" for h in _CPP_HEADERS)
    source = (
        includes + "\n" + program + "\n\n#define main lintseq_test_main\n" + task.raw["test"]
        + "\n#undef main\nint main() {\n    lintseq_test_main();\n"
        + f'    std::printf("\\n%s\\n", "{nonce}");\n    std::fflush(stdout);\n    return 0;\n}}\n'
    )
    return Prepared(
        {"main.cpp": source},
        (
            Stage("compile", (_tool("g++"), "-std=c++17", "-O0", "-w", "-o", "sample", "main.cpp", "-lcrypto"),
                  limits.compile_timeout_s),
            Stage("run", ("./sample",), limits.run_timeout_s),
        ),
        nonce,
        cleanup=("main.cpp",),
    )


def _prep_java(task: Task, program: str, nonce: str, limits: Limits) -> Prepared:
    runner = (
        "public class LintseqRunner {\n"
        "    public static void main(String[] args) throws Throwable {\n"
        "        Main.main(args);\n"
        "        System.out.flush();\n"
        f'        System.out.println("\\n{nonce}");\n'
        "        System.out.flush();\n"
        "    }\n}\n"
    )
    jflags = ("-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
    return Prepared(
        {"Main.java": program + "\n\n" + task.raw["test"] + "\n", "LintseqRunner.java": runner},
        (
            Stage("compile", (_tool("javac"), *(f"-J{f}" for f in jflags), "-J-Xmx768m", "-encoding", "UTF-8",
                              "-nowarn", "-d", ".", "Main.java", "LintseqRunner.java"), limits.compile_timeout_s),
            Stage("run", (_tool("java"), *jflags, "-Xmx1024m", "-cp", ".", "LintseqRunner"), limits.run_timeout_s),
        ),
        nonce,
        cleanup=("Main.java", "LintseqRunner.java"),
    )


# Standard packages a Go sample may use without importing them (CodeGeeX's list); only the
# ones the file references are imported.
_GO_HELPER = ("math", "strings", "fmt", "strconv", "time", "bytes", "regexp", "sort", "math/rand", "crypto/md5")
_GO_IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)^\)", re.MULTILINE | re.DOTALL)
_GO_IMPORT_LINE = re.compile(r'^import\s+((?:[\w.]+\s+)?"[^"]+")\s*$', re.MULTILINE)
_GO_SPEC = re.compile(r'^\s*((?:[\w.]+\s+)?"([^"]+)")\s*$')


def _go_split_imports(code: str) -> tuple[list[tuple[str, str]], str]:
    """Import specs ``(spec, path)`` of a Go file and the code without them or ``package``."""
    specs: list[tuple[str, str]] = []

    def take(body: str) -> None:
        for line in body.splitlines():
            line = line.split("//")[0]
            m = _GO_SPEC.match(line)
            if m:
                specs.append((m.group(1), m.group(2)))

    def block(m: re.Match[str]) -> str:
        take(m.group(1))
        return ""

    def single(m: re.Match[str]) -> str:
        take(m.group(1))
        return ""

    code = _GO_IMPORT_BLOCK.sub(block, code)
    code = _GO_IMPORT_LINE.sub(single, code)
    code = re.sub(r"^package\s+\w+\s*$", "", code, flags=re.MULTILINE)
    return specs, code


_GO_NOISE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\'', re.DOTALL)


def _go_source(task: Task, program: str) -> str:
    setup_specs, _ = _go_split_imports(task.raw["test_setup"])
    prog_specs, body = _go_split_imports(program)
    body = body + "\n\n" + task.raw["test"] + "\n"
    code_only = _GO_NOISE.sub(" ", body)  # "list of strings." in a comment is no use of strings
    chosen: dict[str, str] = {}
    for spec, path in [*setup_specs, *prog_specs, *((f'"{p}"', p) for p in _GO_HELPER)]:
        if path in chosen:
            continue
        alias = spec.split()[0] if spec.split()[0] != f'"{path}"' else path.rsplit("/", 1)[-1]
        if alias == "_" or re.search(rf"\b{re.escape(alias)}\.", code_only):
            chosen[path] = spec
    imports = "".join(f"    {spec}\n" for spec in chosen.values())
    return f"package main\n\nimport (\n{imports})\n{body}"


def _prep_go(task: Task, program: str, nonce: str, limits: Limits) -> Prepared:
    from lintseq_eval.shims import GO_TESTIFY_ASSERT, GO_TESTIFY_MOD

    main_test = (
        'package main\n\nimport (\n    "fmt"\n    "os"\n    "testing"\n)\n\n'
        "func TestMain(m *testing.M) {\n    code := m.Run()\n    if code == 0 {\n"
        f'        fmt.Printf("\\n%s\\n", "{nonce}")\n    }}\n    os.Exit(code)\n}}\n'
    )
    gomod = (
        "module lintseqsample\n\ngo 1.18\n\nrequire github.com/stretchr/testify v1.8.4\n\n"
        "replace github.com/stretchr/testify => ./_testify\n"
    )
    env = {
        "GOCACHE": "/tmp/gocache", "GOPATH": "/tmp/gopath", "GOFLAGS": "-mod=mod -vet=off", "GOPROXY": "off",
        "GOSUMDB": "off", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0", "GO111MODULE": "on",
        "GOTELEMETRY": "off",
    }
    go = _tool("go")
    return Prepared(
        {
            "go.mod": gomod,
            "sample_test.go": _go_source(task, program),
            "lintseq_main_test.go": main_test,
            "_testify/go.mod": GO_TESTIFY_MOD,
            "_testify/assert/assert.go": GO_TESTIFY_ASSERT,
        },
        (
            Stage("compile", (go, "test", "-c", "-o", "sample.test", "."), limits.compile_timeout_s),
            Stage("run", ("./sample.test", "-test.count=1"), limits.run_timeout_s),
        ),
        nonce,
        env,
        cleanup=("sample_test.go", "lintseq_main_test.go"),
    )


def _prep_rust(task: Task, program: str, nonce: str, limits: Limits) -> Prepared:
    from lintseq_eval.shims import rust_crates_dir

    crates = rust_crates_dir()
    source = (
        program + "\n\n" + task.raw["test"] + "\n\n#[test]\nfn zzzzzzzz_lintseq_finished() {\n"
        f'    println!("\\n{nonce}");\n}}\n'
    )
    externs: list[str] = []
    for name in ("rand", "regex", "md5"):
        externs += ["--extern", f"{name}={crates / f'lib{name}.rlib'}"]
    return Prepared(
        {"main.rs": source},
        (
            Stage("compile", (_tool("rustc"), "--test", "--edition", "2021", "-A", "warnings", "-C", "debuginfo=0",
                              "-L", str(crates), *externs, "-o", "sample", "main.rs"), limits.compile_timeout_s),
            Stage("run", ("./sample", "--test-threads=1", "--nocapture"), limits.run_timeout_s),
        ),
        nonce,
        {"RUST_BACKTRACE": "0"},
        cleanup=("main.rs",),
    )


_PREPARE = {
    "python": _prep_python,
    "js": _prep_js,
    "cpp": _prep_cpp,
    "java": _prep_java,
    "go": _prep_go,
    "rust": _prep_rust,
}


def prepare(task: Task, program: str, limits: Limits, nonce: str | None = None) -> Prepared:
    """Files and stages that run ``program`` against ``task``'s tests."""
    extra = check_toolchain(task.language)
    nonce = nonce or f"LINTSEQ-DONE-{secrets.token_hex(16)}"
    prep = _PREPARE[task.language](task, program, nonce, limits)
    return Prepared(prep.files, prep.stages, prep.nonce, prep.env, extra, prep.cleanup)


def _tail(text: str, n: int = 600) -> str:
    """Start and end of a long stderr: the error is usually at one end, the cause at the other."""
    text = text.strip()
    return text if len(text) <= n else text[: n // 2] + " … " + text[-n // 2:]


def result_limit_bytes(result: SandboxResult) -> int:
    return result.output_limit or 1 << 62


def verdict(result: SandboxResult, prep: Prepared) -> Outcome:
    """PASS only if every stage exited 0 and the final stage printed the nonce on a line."""
    wall = result.wall_s
    final = prep.stages[-1].name
    if result.killed:
        return Outcome(Status.TIMEOUT, "killed at the sample's overall deadline", wall)
    if result.unfinished is not None:  # the sample killed the driver that supervised it
        return Outcome(Status.FAIL, f"{result.unfinished} stage killed its supervisor: {_tail(result.stderr)}", wall)
    if not result.stages:
        return Outcome(Status.ERROR, f"sandbox reported no stage: {_tail(result.stderr)}", wall)
    for st in result.stages:
        if st.name == "setup":
            return Outcome(Status.ERROR, f"sandbox setup failed: {_tail(result.stderr)}", wall)
        if st.timed_out:
            return Outcome(Status.TIMEOUT, f"{st.name} exceeded {prep.stages[[s.name for s in prep.stages].index(st.name)].timeout_s:g}s", wall)
        if st.name == final and len(result.stdout.encode("utf-8", "replace")) >= result_limit_bytes(result):
            return Outcome(Status.FAIL, f"output limit ({result.output_limit // 1024} KiB) reached", wall)
        if st.returncode != 0:
            what = "compile error" if st.name != final else f"exit status {st.returncode}"
            detail = result.stderr if result.stderr.strip() or st.name != final else result.stdout
            return Outcome(Status.FAIL, f"{what}: {_tail(detail)}", wall)
    if result.stage(final) is None:
        return Outcome(Status.ERROR, f"final stage did not report: {_tail(result.stderr)}", wall)
    if prep.nonce not in (line.strip() for line in result.stdout.splitlines()):
        return Outcome(Status.FAIL, "exited before the tests finished (no completion token)", wall)
    return Outcome(Status.PASS, "", wall)


def execute(task: Task, program: str, *, limits: Limits, uid: int) -> Outcome:
    """Run one program against its task's tests in the sandbox."""
    prep = prepare(task, program, limits)
    result = run_sandboxed(
        prep.files, prep.stages, limits=limits, uid=uid, env=prep.env, extra_ro=prep.extra_ro, cleanup=prep.cleanup
    )
    return verdict(result, prep)
