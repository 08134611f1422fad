"""Java: HumanEval-X ``java``, MultiPL-E, HumanEvalPack and HumanEvalFix.

``Main.java`` = program + tests; ``LintseqRunner.main`` calls ``Main.main``, then prints the
completion token.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lintseq_eval import codecontests, layouts
from lintseq_eval.errors import BenchmarkError, ToolchainMissingError
from lintseq_eval.humanevalpack import fix, synthesize
from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool
from lintseq_eval.multiple import BENCHMARKS, multiple
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["JVM_FLAGS", "LANGUAGE", "javatuples_jar"]

# a small, fast-starting JVM for short programs (samples, contest solutions)
JVM_FLAGS = ("-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto")


def _compile_and_run(src: Source, nonce: str, limits: Limits, tool: Tool, *, file: str, entry: str,
                     jar: str | None = None, run_flags: tuple[str, ...] = ()) -> Prepared:
    """Program and tests in ``file``; ``LintseqRunner`` calls ``entry.main`` and then prints the
    token. ``jar`` joins the class path of both stages."""
    runner = (
        "public class LintseqRunner {\n"
        "    public static void main(String[] args) throws Throwable {\n"
        f"        {entry}.main(args);\n"
        "        System.out.flush();\n"
        f'        System.out.println("\\n{nonce}");\n'
        "        System.out.flush();\n"
        "    }\n}\n"
    )
    compile_cp = ("-cp", jar) if jar else ()
    return Prepared(
        {file: src.program + "\n\n" + src.tests + "\n", "LintseqRunner.java": runner},
        (
            Stage("compile", (tool("javac"), *(f"-J{f}" for f in JVM_FLAGS), "-J-Xmx768m", "-encoding", "UTF-8",
                              "-nowarn", *compile_cp, "-d", ".", file, "LintseqRunner.java"),
                  limits.compile_timeout_s),
            Stage("run", (tool("java"), *JVM_FLAGS, *run_flags, "-Xmx1024m", "-cp", f".:{jar}" if jar else ".",
                          "LintseqRunner"), limits.run_timeout_s),
        ),
        nonce,
        cleanup=(file, "LintseqRunner.java"),
    )


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    return _compile_and_run(src, nonce, limits, tool, file="Main.java", entry="Main")


# ----------------------------------------------------------------------------- MultiPL-E
# MultiPL-E's Java tests are ``    }`` (the method's end), then ``main`` inside ``class
# Problem`` and that class's ``}``. A whole program closes both; the tests' ``main`` goes in a
# subclass of Problem, which calls Problem's static methods unqualified as before. MultiPL-E
# runs ``java -ea`` (its tests are ``assert`` statements) with javatuples 1.2 on the class path.

_CLOSER = "    }\n}\n"
_EMPTY = "        throw new UnsupportedOperationException();\n"
_JAVATUPLES = ("/usr/share/java/javatuples.jar", "/usr/share/java/javatuples-1.2.jar")


def _multiple_tests(row: Mapping[str, Any]) -> str:
    tests = row["tests"]
    if not tests.startswith("    }\n"):
        raise BenchmarkError(f"{row.get('name')}: MultiPL-E Java tests should start with the method's '}}'")
    return "class LintseqTests extends Problem {\n" + tests[len("    }\n"):]


def javatuples_jar() -> str:
    """The javatuples jar (``$LINTSEQ_JAVATUPLES`` or Debian's ``libjavatuples-java``)."""
    for path in (os.environ.get("LINTSEQ_JAVATUPLES", ""), *_JAVATUPLES):
        if path and os.path.isfile(path):
            return str(Path(path).resolve())
    raise ToolchainMissingError(
        "MultiPL-E Java samples import org.javatuples: apt-get install libjavatuples-java, "
        "or point LINTSEQ_JAVATUPLES at javatuples-1.2.jar"
    )


def _prepare_multiple(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    return _compile_and_run(src, nonce, limits, tool, file="Problem.java", entry="LintseqTests",
                            jar=javatuples_jar(), run_flags=("-ea",))


LANGUAGE = EvalLanguage(
    name="java",
    toolchain="javac",
    tools=("java",),
    version_command=("java", "-version"),  # the runtime that runs the samples
    prepare=_prepare,
    install="apt-get install libjavatuples-java (MultiPL-E's org.javatuples)",
    layouts=(
        layouts.humaneval_x("java", empty_body="    }\n}\n"),
        *(multiple(b, "java", empty_body=_EMPTY, closer=_CLOSER, tests=_multiple_tests, prepare=_prepare_multiple)
          for b in BENCHMARKS),
        synthesize("java", empty_body="    }\n}\n"),
        fix("java"),
        codecontests.layout("java"),
    ),
)
