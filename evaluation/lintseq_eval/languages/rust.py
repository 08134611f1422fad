"""Rust: HumanEval-X ``rust``, MultiPL-E, HumanEvalPack and HumanEvalFix.

``rustc --test``; a last test (libtest runs tests sorted by name, one thread) prints the
completion token, and the binary must also exit 0. The instruction is ``prompt`` (a comment
only) followed by ``declaration`` (``use`` lines and signature), since the prompt alone
names no function.

HumanEval-X Rust programs use the crates ``rand``, ``regex`` and ``md5``; fetching them
needs the network, which neither CI nor the sandbox has. Stand-ins with exactly the API
the benchmark uses ship as package data in ``shims/rust`` (rand 0.7's
``thread_rng``/``gen_range(low, high)``/``gen``/``random``, md5's ``compute`` and a regex
subset: literals, ``.``, classes, ``\\s\\d\\w``, ``* + ?``, ``^ $`` with ``new``,
``is_match``, ``find`` and ``split``). They are compiled once per rustc version into a cache
folder (``$LINTSEQ_CACHE`` or ``~/.cache/lintseq``); the ablation's rustc oracle links the
same ones (:attr:`EvalLanguage.oracle_env`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from lintseq_eval import layouts
from lintseq_eval.errors import BenchmarkError, ToolchainMissingError
from lintseq_eval.humanevalpack import fix, synthesize
from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool, shim_dir
from lintseq_eval.multiple import BENCHMARKS, multiple
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["CRATES", "LANGUAGE", "extern_flags", "rust_crates_dir"]

CRATES = ("rand", "regex", "md5")


@cache
def _real_rustc(checked: str) -> str:
    """rustc is often a rustup proxy: the real compiler of the active toolchain.

    ``checked`` is the resolved path the executor checked; the proxy must be called by its
    own name (``rustc``), so it is looked up on PATH again."""
    path = shutil.which("rustc") or checked
    proc = subprocess.run([path, "--print", "sysroot"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise ToolchainMissingError(f"rustc does not run: {proc.stderr.strip()[-300:]}")
    return str(Path(proc.stdout.strip(), "bin", "rustc"))


def _cache_root() -> Path:
    root = os.environ.get("LINTSEQ_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "lintseq"


@cache
def rust_crates_dir() -> Path:
    """Folder with ``lib{rand,md5,regex}.rlib`` built by this machine's rustc (built once)."""
    rustc = shutil.which("rustc")
    if rustc is None:
        raise ToolchainMissingError("rust samples need `rustc` on PATH")
    sources = {name: shim_dir("rust", f"{name}.rs").read_text(encoding="utf-8") for name in CRATES}
    version = subprocess.run([rustc, "-vV"], capture_output=True, text=True).stdout
    key = hashlib.sha256((version + "".join(sources[n] for n in ("rand", "md5", "regex"))).encode()).hexdigest()[:16]
    out = _cache_root() / f"rust-crates-{key}"
    if all((out / f"lib{n}.rlib").is_file() for n in CRATES):
        return out
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    for name, text in sources.items():
        (tmp / f"{name}.rs").write_text(text)
        proc = subprocess.run(
            [rustc, "--crate-type", "rlib", "--crate-name", name, "--edition", "2021", "-O", "-A", "warnings",
             "-o", str(tmp / f"lib{name}.rlib"), str(tmp / f"{name}.rs")],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise ToolchainMissingError(f"cannot build the bundled `{name}` crate with {rustc}: {proc.stderr[-800:]}")
    for p in [tmp, *tmp.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    if out.exists():
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.rename(out)
    out.parent.chmod(0o755)
    return out


def extern_flags() -> list[str]:
    """``--extern`` flags that make the bundled crates visible to rustc."""
    crates = rust_crates_dir()
    return [f for name in CRATES for f in ("--extern", f"{name}={crates / f'lib{name}.rlib'}")]


def _mounts(tool: Tool) -> list[str]:
    return [str(Path(_real_rustc(tool("rustc"))).parent.parent), str(rust_crates_dir())]


def _compile_and_run(src: Source, nonce: str, limits: Limits, tool: Tool, *, last_fn: str,
                     flags: tuple[str, ...], run: tuple[str, ...]) -> Prepared:
    """Program, tests and ``last_fn`` (opened here, it ends by printing the token) in one
    ``main.rs``, compiled with ``flags`` and run as ``run``."""
    source = f'{src.program}\n\n{src.tests}\n\n{last_fn}    println!("\\n{nonce}");\n}}\n'
    return Prepared(
        {"main.rs": source},
        (
            Stage("compile", (_real_rustc(tool("rustc")), *flags, "-o", "sample", "main.rs"),
                  limits.compile_timeout_s),
            Stage("run", run, limits.run_timeout_s),
        ),
        nonce,
        {"RUST_BACKTRACE": "0"},
        cleanup=("main.rs",),
    )


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    return _compile_and_run(
        src, nonce, limits, tool, last_fn="#[test]\nfn zzzzzzzz_lintseq_finished() {\n",
        flags=("--test", "--edition", "2021", "-A", "warnings", "-C", "debuginfo=0",
               "-L", str(rust_crates_dir()), *extern_flags()),
        run=("./sample", "--test-threads=1", "--nocapture"),
    )


# ----------------------------------------------------------------------------- MultiPL-E
# MultiPL-E's Rust tests are ``}`` (the function's end), then ``fn main`` with ``assert_eq!``;
# MultiPL-E builds them with a plain ``rustc`` (edition 2015, no crates) and runs the binary.
# The tests' main is renamed; the harness's main calls it and then prints the token.


def _multiple_tests(row: Mapping[str, Any]) -> str:
    tests = row["tests"]
    if not tests.startswith("}\n") or "fn main()" not in tests:
        raise BenchmarkError(f"{row.get('name')}: MultiPL-E Rust tests should be '}}' then 'fn main()'")
    return tests[2:].replace("fn main()", "fn lintseq_test_main()", 1)


def _prepare_multiple(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    return _compile_and_run(
        src, nonce, limits, tool, last_fn="fn main() {\n    lintseq_test_main();\n",
        flags=("-A", "warnings", "-C", "debuginfo=0"), run=("./sample",),
    )


_CROSS_LANGUAGE = (
    *(multiple(b, "rs", empty_body="    todo!()\n", closer="}\n", tests=_multiple_tests,
               prepare=_prepare_multiple) for b in BENCHMARKS),
    synthesize("rust", empty_body="    todo!()\n}\n"),
    fix("rust"),
)


LANGUAGE = EvalLanguage(
    name="rust",
    aliases=("rs",),
    toolchain="rustc",
    prepare=_prepare,
    mounts=_mounts,
    oracle_env=lambda: {"LINTSEQ_RUSTC_ARGS": " ".join(extern_flags())},
    layouts=(
        *_CROSS_LANGUAGE,
        layouts.humaneval_x("rust", prompt_fields=("prompt", "declaration")),
    ),
)
