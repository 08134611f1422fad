"""``ruby -c``: Ruby's own parser (syntax only, as Ruby resolves names at run time)."""

from __future__ import annotations

import re
from pathlib import Path

from lintseq_compilers.base import Toolchain

__all__ = ["RUBY"]


def _command(path: Path, workdir: Path) -> list[str]:
    return ["ruby", "-c", str(path)]


RUBY = Toolchain(
    name="ruby",
    language="ruby",
    executable="ruby",
    install="apt-get install ruby (Debian/Ubuntu), or https://www.ruby-lang.org",
    filename=lambda source: "prog.rb",
    command=_command,
    # prog.rb:3: syntax error, unexpected end-of-input (Ruby < 3.3) or prog.rb:3: syntax errors found
    pattern=re.compile(r"^(?P<file>[^:\s][^:]*\.rb):(?P<line>\d+): (?!warning)(?P<message>.*)$"),
    syntax=re.compile(r"."),
    description="ruby -c (syntax only)",
)
