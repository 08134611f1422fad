"""Compiler-backed analyzers: clean programs pass, errors map to their lines, missing tools say how to install."""

from __future__ import annotations

import dataclasses
import sys
import time

import pytest
from lintseq_compilers.base import Toolchain
from lintseq_compilers.plugin import TOOLCHAINS, toolchain

from lintseq_core.errors import UnknownAnalyzerError
from lintseq_core.host import PluginHost, get_host, make_plugin_manager

# (analyzer, clean program, broken program, line of the error in the broken one)
CASES = {
    "gcc": ("#include <stdio.h>\nint main(void) {\n    puts(\"hi\");\n    return 0;\n}\n",
            "int main(void) {\n    int x = 1;\n    puts(\"hi\");\n    return x;\n}\n", 3),
    "g++": ("#include <vector>\nint f(std::vector<int> v) {\n    return v.size();\n}\n",
            "#include <vector>\nint f(std::vector<int> v) {\n    return v.sizes();\n}\n", 3),
    "go": ("package main\n\nfunc F(x int) int {\n    return x\n}\n",
           "package main\n\nimport \"strings\"\n\nfunc F(x int) int {\n    return x\n}\n", 3),
    "javac": ("class S {\n    int f() {\n        return 1;\n    }\n}\n",
              "class S {\n    int f() {\n        int y;\n        return y;\n    }\n}\n", 4),
    "node": ("const f = (x) => {\n  return x;\n};\n", "const f = (x) => {\n  return x;\n};\nconst g;\n", 4),
    "rustc": ("fn f(x: i32) -> i32 {\n    x + 1\n}\n", "fn f(x: i32) -> i32 {\n    let y = 1;\n}\n", 1),
    "ruby": ("def f(x)\n  x + 1\nend\n", "def f(x)\n  x + 1\nend\nend\n", 4),
    "tsc": ("function f(x: number): number {\n  return x;\n}\n",
            "function f(x: number): number {\n  return x;\n}\nconst s: string = f(1);\n", 4),
}


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOLCHAINS, ids=lambda t: t.name)
def test_clean_and_broken_programs(tool: Toolchain):
    if tool.available():
        pytest.skip(tool.available())
    clean, broken, line = CASES[tool.name]
    assert tool.analyze(clean) == []
    diags = tool.analyze(broken)
    assert diags, f"{tool.name} found no error in a broken program"
    assert line in {d.line for d in diags}, diags


def test_every_toolchain_has_a_case_and_an_install_hint():
    assert {t.name for t in TOOLCHAINS} == set(CASES)
    for tool in TOOLCHAINS:
        missing = dataclasses.replace(tool, executable="lintseq-no-such-compiler")
        message = missing.available()
        assert message is not None and "install" in message and "lintseq-no-such-compiler" in message
        assert toolchain(tool.language, tool.name) is tool


def test_host_reports_a_missing_compiler_in_one_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    host = get_host()
    with pytest.raises(UnknownAnalyzerError, match="cannot run here: 'go' was not found on PATH; install it"):
        host.analyzer("go", "go")


def test_compiler_analyzers_get_tree_sitter_structure():
    """A compiler has no notion of blocks: the tree-sitter plugin answers for it."""
    host = get_host()
    lines = ["int f(int x) {", "    if (x) {", "        return 1;", "    }", "    return 0;", "}"]
    ts = host.structure("c", "treesitter", lines)
    assert host.structure("c", "gcc", lines) == ts
    assert ts.children[1] == (2, 3)


def test_timeout_is_a_diagnostic_not_a_hang():
    # A real compiler process that never finishes in time: killed at the limit, reported.
    sleeper = dataclasses.replace(
        toolchain("c", "gcc"), name="sleeper", executable=sys.executable,
        command=lambda path, workdir: [sys.executable, "-c", "import time; time.sleep(30)"],
        timeout=0.5,
    )
    start = time.monotonic()
    diags = sleeper.analyze("int x;\n")
    assert [d.code for d in diags] == ["timeout"]
    assert time.monotonic() - start < 10


def test_compiler_output_parsing_keeps_only_errors_of_the_file():
    gcc = toolchain("c", "gcc")
    output = (
        "prog.c:3:5: error: 'y' undeclared (first use in this function)\n"
        "prog.c:2:9: warning: unused variable 'x'\n"
        "/usr/include/stdio.h:10:1: error: something in a header\n"
        "prog.c:7:1: error: expected ';' before '}' token\n"
    )
    diags = gcc.parse_output(output, "prog.c", 1)
    assert [(d.line, d.syntax) for d in diags] == [(3, False), (0, False), (7, True)]
    assert gcc.parse_output("", "prog.c", 1)[0].code == "compiler-failed"


def test_compilers_plugin_answers_only_its_own_analyzers():
    from lintseq_compilers import plugin

    assert plugin.lintseq_analyze(language="go", analyzer="treesitter", source="package main\n") is None
    pm = make_plugin_manager(extra=[plugin])
    host = PluginHost(pm)
    assert set(host.languages) == {t.language for t in TOOLCHAINS}
