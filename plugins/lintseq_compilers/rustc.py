"""rustc ``--emit=metadata``: parse, resolve and type check a library crate, no code generation.

The crate type is ``lib`` so a program without ``main`` is fine. Extra flags (e.g.
``--extern rand=/path/librand.rlib``) come from ``LINTSEQ_RUSTC_ARGS``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lintseq_compilers.base import Toolchain

__all__ = ["RUSTC"]


def _command(path: Path, workdir: Path) -> list[str]:
    return ["rustc", "--edition", "2021", "--crate-type", "lib", "--crate-name", "prog",
            "--emit=metadata", "--error-format=short", "--color", "never", "-A", "warnings",
            "-o", str(workdir / "libprog.rmeta"), str(path)]


RUSTC = Toolchain(
    name="rustc",
    language="rust",
    executable="rustc",
    install="install Rust with rustup (https://rustup.rs) or apt-get install rustc",
    filename=lambda source: "prog.rs",
    command=_command,
    pattern=re.compile(r"^(?P<file>[^:\s][^:]*\.rs):(?P<line>\d+):\d+: error(?:\[E\d+\])?: (?P<message>.*)$"),
    syntax=re.compile(r"^expected|unexpected|unclosed|unterminated|mismatched closing"),
    description="rustc --edition 2021 --crate-type lib --emit=metadata",
    args_env="LINTSEQ_RUSTC_ARGS",
)
