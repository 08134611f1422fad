"""Java: HumanEval-X ``java``.

``Main.java`` = program + tests; ``LintseqRunner.main`` calls ``Main.main``, then prints the
completion token.
"""

from __future__ import annotations

from lintseq_eval import layouts
from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["LANGUAGE"]

_JFLAGS = ("-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto")


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    runner = (
        "public class LintseqRunner {\n"
        "    public static void main(String[] args) throws Throwable {\n"
        "        Main.main(args);\n"
        "        System.out.flush();\n"
        f'        System.out.println("\\n{nonce}");\n'
        "        System.out.flush();\n"
        "    }\n}\n"
    )
    return Prepared(
        {"Main.java": src.program + "\n\n" + src.tests + "\n", "LintseqRunner.java": runner},
        (
            Stage("compile", (tool("javac"), *(f"-J{f}" for f in _JFLAGS), "-J-Xmx768m", "-encoding", "UTF-8",
                              "-nowarn", "-d", ".", "Main.java", "LintseqRunner.java"), limits.compile_timeout_s),
            Stage("run", (tool("java"), *_JFLAGS, "-Xmx1024m", "-cp", ".", "LintseqRunner"), limits.run_timeout_s),
        ),
        nonce,
        cleanup=("Main.java", "LintseqRunner.java"),
    )


LANGUAGE = EvalLanguage(
    name="java",
    toolchain="javac",
    tools=("java",),
    version_command=("java", "-version"),  # the runtime that runs the samples
    prepare=_prepare,
    layouts=(layouts.humaneval_x("java", empty_body="    }\n}\n"),),
)
