"""Go: HumanEval-X ``go``, MultiPL-E, HumanEvalPack and HumanEvalFix.

A ``go test`` package whose ``TestMain`` prints the completion token only if every test
passed. HumanEval-X's tests import ``github.com/stretchr/testify/assert``; fetching it needs
the network, so a stand-in with exactly the API the benchmark uses (``assert.New(t).Equal``
with testify's ``ObjectsAreEqual``: ``bytes.Equal`` for ``[]byte``, else
``reflect.DeepEqual``, failing through ``t.Errorf``) ships as package data in
``shims/go/testify``. Built with ``-vet=off`` (4x faster): ``go vet`` findings do not fail
a sample, only the compiler and the tests do.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache

from lintseq_eval import layouts
from lintseq_eval.errors import ToolchainMissingError
from lintseq_eval.humanevalpack import fix, synthesize
from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool, shim_dir
from lintseq_eval.multiple import BENCHMARKS, multiple
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["LANGUAGE", "go_source", "testify_files"]

# Standard packages a Go sample may use without importing them (CodeGeeX's list); only the
# ones the file references are imported.
_HELPER = ("math", "strings", "fmt", "strconv", "time", "bytes", "regexp", "sort", "math/rand", "crypto/md5")
_IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)^\)", re.MULTILINE | re.DOTALL)
_IMPORT_LINE = re.compile(r'^import\s+((?:[\w.]+\s+)?"[^"]+")\s*$', re.MULTILINE)
_SPEC = re.compile(r'^\s*((?:[\w.]+\s+)?"([^"]+)")\s*$')
_NOISE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\'', re.DOTALL)


def _split_imports(code: str) -> tuple[list[tuple[str, str]], str]:
    """Import specs ``(spec, path)`` of a Go file and the code without them or ``package``."""
    specs: list[tuple[str, str]] = []

    def take(m: re.Match[str]) -> str:
        for line in m.group(1).splitlines():
            spec = _SPEC.match(line.split("//")[0])
            if spec:
                specs.append((spec.group(1), spec.group(2)))
        return ""

    code = _IMPORT_BLOCK.sub(take, code)
    code = _IMPORT_LINE.sub(take, code)
    code = re.sub(r"^package\s+\w+\s*$", "", code, flags=re.MULTILINE)
    return specs, code


def go_source(setup: str, tests: str, program: str) -> str:
    """One ``package main`` file: program + tests, with the imports of ``setup`` (the test
    file's header), of the program and the helper packages it uses, each once."""
    setup_specs, _ = _split_imports(setup)
    prog_specs, body = _split_imports(program)
    body = body + "\n\n" + tests + "\n"
    code_only = _NOISE.sub(" ", body)  # "list of strings." in a comment is no use of strings
    chosen: dict[str, str] = {}
    for spec, path in [*setup_specs, *prog_specs, *((f'"{p}"', p) for p in _HELPER)]:
        if path in chosen:
            continue
        alias = spec.split()[0] if spec.split()[0] != f'"{path}"' else path.rsplit("/", 1)[-1]
        if alias == "_" or re.search(rf"\b{re.escape(alias)}\.", code_only):
            chosen[path] = spec
    imports = "".join(f"    {spec}\n" for spec in chosen.values())
    return f"package main\n\nimport (\n{imports})\n{body}"


@cache
def testify_files() -> dict[str, str]:
    """The bundled testify stand-in, as files of the sample's ``_testify`` folder."""
    root = shim_dir("go", "testify")
    return {f"_testify/{p.relative_to(root).as_posix()}": p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


@cache
def _goroot(go: str) -> str:
    proc = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise ToolchainMissingError(f"go does not run: {proc.stderr.strip()}")
    return proc.stdout.strip()


_ENV = {
    "GOCACHE": "/tmp/gocache", "GOPATH": "/tmp/gopath", "GOFLAGS": "-mod=mod -vet=off", "GOPROXY": "off",
    "GOSUMDB": "off", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0", "GO111MODULE": "on", "GOTELEMETRY": "off",
}
_GOMOD = (
    "module lintseqsample\n\ngo 1.18\n\nrequire github.com/stretchr/testify v1.8.4\n\n"
    "replace github.com/stretchr/testify => ./_testify\n"
)


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    main_test = (
        'package main\n\nimport (\n    "fmt"\n    "os"\n    "testing"\n)\n\n'
        "func TestMain(m *testing.M) {\n    code := m.Run()\n    if code == 0 {\n"
        f'        fmt.Printf("\\n%s\\n", "{nonce}")\n    }}\n    os.Exit(code)\n}}\n'
    )
    return Prepared(
        {
            "go.mod": _GOMOD,
            "sample_test.go": go_source(src.before, src.tests, src.program),
            "lintseq_main_test.go": main_test,
            **testify_files(),
        },
        (
            Stage("compile", (tool("go"), "test", "-c", "-o", "sample.test", "."), limits.compile_timeout_s),
            Stage("run", ("./sample.test", "-test.count=1"), limits.run_timeout_s),
        ),
        nonce,
        _ENV,
        cleanup=("sample_test.go", "lintseq_main_test.go"),
    )


def _uncommented(prompt: str) -> str:
    """HumanEvalPack Go's code prompt without its ``//`` lines: imports, helpers (Go/10, 32, 38,
    50 define functions the tests call, which the row's ``declaration`` lacks) and signature."""
    return "".join(line for line in prompt.splitlines(keepends=True) if not line.lstrip().startswith("//"))


# MultiPL-E: a ``package <x>_test`` file of ``TestX`` functions (go_source makes it package
# main); HumanEvalPack: HumanEval-X's tests and test_setup
_CROSS_LANGUAGE = (
    *(multiple(b, "go", empty_body='    panic("empty")\n}\n') for b in BENCHMARKS),
    synthesize("go", setup_field="test_setup", extra_required=("import", "test_setup")),
    fix("go", setup_field="test_setup", declaration=lambda row: _uncommented(row["prompt"]),
        extra_required=("import", "test_setup")),
)

LANGUAGE = EvalLanguage(
    name="go",
    aliases=("golang",),
    toolchain="go",
    prepare=_prepare,
    mounts=lambda tool: [_goroot(tool("go"))],
    layouts=(
        *_CROSS_LANGUAGE,
        layouts.humaneval_x(
            "go", extra_required=("import", "test_setup"), setup_field="test_setup",
            program_preamble="package main\n\n", program_fields=("import", "declaration", "canonical_solution"),
        ),
    ),
)
