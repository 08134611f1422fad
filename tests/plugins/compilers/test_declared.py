"""Toolchains from toolchains.toml: the table builds every compiler, and a bad table says what to fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lintseq_compilers.declared import ArgvTemplate, FixedName, build, declared, declared_names
from lintseq_compilers.plugin import TOOLCHAINS, toolchain

from lintseq_core.errors import ConfigError

_MINIMAL = {
    "language": "c",
    "executable": "gcc",
    "install": "apt-get install gcc",
    "description": "gcc",
    "file": "prog.c",
    "argv": ["gcc", "-o", "{workdir}/out", "{path}"],
    "pattern": r"^(?P<line>\d+): (?P<message>.*)$",
    "syntax": "expected",
}


def test_the_table_declares_every_toolchain_in_order():
    assert [t.name for t in TOOLCHAINS] == declared_names()
    assert declared_names()[:2] == ["gcc", "g++"]


def test_a_table_becomes_a_toolchain():
    tool = build("cc", {**_MINIMAL, "version_args": ["-v"], "env": {"A": "1"}, "timeout": 5})
    assert tool.filename("int x;") == "prog.c"
    work = Path("/w")
    assert tool.command(work / "prog.c", work) == ["gcc", "-o", "/w/out", "/w/prog.c"]
    assert (tool.version_args, tool.env, tool.timeout) == (("-v",), {"A": "1"}, 5.0)
    assert tool.pattern.match("3: boom") and tool.syntax.search("expected ;")
    # code given by a module replaces the table's value
    named = build("cc", _MINIMAL, filename=FixedName("other.c"))
    assert named.filename("") == "other.c"


@pytest.mark.parametrize(("change", "message"), [
    ({"lang": "c"}, "unknown key(s) ['lang']"),
    ({"pattern": "(unclosed"}, "pattern is not a regular expression"),
    ({"argv": []}, "argv must be a non-empty list of strings"),
    ({"install": 3}, "install must be a string"),
    ({"timeout": 0}, "timeout must be a positive number"),
    ({"env": {"A": 1}}, "env must be a table of strings"),
    ({"env": "A=1"}, "env must be a table of strings"),
])
def test_a_bad_table_names_what_to_change(change, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        build("cc", {**_MINIMAL, **change})


def test_fields_neither_table_nor_code_gives_are_named():
    table = {k: v for k, v in _MINIMAL.items() if k not in ("argv", "syntax")}
    with pytest.raises(ConfigError, match=r"\[cc\]: no command, syntax"):
        build("cc", table)
    with pytest.raises(ConfigError, match="declares no toolchain 'cobol'"):
        declared("cobol")


def test_argv_template_fills_every_placeholder():
    template = ArgvTemplate(("x", "{path}", "-o", "{workdir}/a/{workdir}"))
    assert template(Path("/p/f.c"), Path("/p")) == ["x", "/p/f.c", "-o", "/p/a//p"]


def test_go_drops_build_system_messages_and_case_hints_from_codes():
    go = toolchain("go", "go")
    output = (
        "./prog.go:5:2: x.accept undefined (type *T has no field or method accept, but does have Accept)\n"
        "prog.go:6:2: invalid go:embed: build system did not supply embed configuration\n"
        "prog.go:9:1: syntax error: unexpected }\n"
    )
    got = go.parse_output(output, "prog.go", 1)
    assert [(d.line, d.code, d.syntax) for d in got] == [
        (5, "x.accept undefined (type *T has no field or method accept)", False),
        (9, "syntax error: unexpected }", True),
    ]
    assert got[0].message.endswith("but does have Accept)")
    # alone, the ignored message leaves a failed run with nothing found: charged to line 0
    only = go.parse_output(output.splitlines()[1], "prog.go", 1)
    assert [d.code for d in only] == ["compiler-failed"]
