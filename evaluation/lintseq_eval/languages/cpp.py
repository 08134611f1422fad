"""C++: HumanEval-X ``cpp``, MultiPL-E, HumanEvalPack and HumanEvalFix.

includes + program + tests with their ``main`` renamed; the harness ``main`` calls it, then
prints the completion token. ``g++ -std=c++17``, linked with ``-lcrypto`` (CPP/162 uses MD5).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lintseq_eval import codecontests, layouts
from lintseq_eval.humanevalpack import fix, synthesize
from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool
from lintseq_eval.multiple import BENCHMARKS, multiple
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["LANGUAGE"]

# Headers every HumanEval-X C++ sample gets (as CodeGeeX's harness does): the canonical
# solutions rely on some that the prompts do not include. Not <cstring>/<string.h>: with them,
# CPP/23's test `strlen("x")` calls C's strlen instead of the program's `strlen(string)`.
_HEADERS = (
    "math.h", "stdio.h", "stdlib.h", "climits", "iostream", "algorithm",
    "vector", "string", "map", "set", "unordered_map", "unordered_set", "sstream", "numeric",
    "cmath", "queue", "stack", "deque", "functional", "cstdio", "openssl/md5.h",
)


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    includes = "".join(f"#include <{h}>\n" for h in _HEADERS)
    source = (
        includes + "\n" + src.program + "\n\n#define main lintseq_test_main\n" + src.tests
        + "\n#undef main\nint main() {\n    lintseq_test_main();\n"
        + f'    std::printf("\\n%s\\n", "{nonce}");\n    std::fflush(stdout);\n    return 0;\n}}\n'
    )
    return Prepared(
        {"main.cpp": source},
        (
            Stage("compile", (tool("g++"), "-std=c++17", "-O0", "-w", "-o", "sample", "main.cpp", "-lcrypto"),
                  limits.compile_timeout_s),
            Stage("run", ("./sample",), limits.run_timeout_s),
        ),
        nonce,
        cleanup=("main.cpp",),
    )


def _fix_declaration(row: Mapping[str, Any]) -> str:
    """HumanEvalFix's declaration, ending at the entry point's opening line.

    Upstream, CPP/38's ``declaration`` runs on into the first lines of ``decode_cyclic``'s
    body (up to the loop's ``{``), so declaration + body repeats them and does not compile,
    buggy or fixed. Every other row already ends at that line: nothing changes there.
    """
    text = row["declaration"]
    head = f"{row['entry_point']}("
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if head in line and line.rstrip().endswith("{"):
            return "".join(lines[: i + 1])
    return text


# MultiPL-E (prompt + body + "}", then the tests' own main, renamed by _prepare), HumanEvalPack
_CROSS_LANGUAGE = (
    *(multiple(b, "cpp", empty_body="    return {};\n", closer="}\n") for b in BENCHMARKS),
    synthesize("cpp", empty_body="    return {};\n}\n"),
    fix("cpp", declaration=_fix_declaration),
)

LANGUAGE = EvalLanguage(
    name="cpp",
    aliases=("c++", "cxx"),
    toolchain="g++",
    install="apt-get install libssl-dev (openssl/md5.h)",
    prepare=_prepare,
    # an empty non-void body is undefined behaviour (it returned the right value by
    # accident for 4 tasks): return T{}
    layouts=(
        *_CROSS_LANGUAGE,
        layouts.humaneval_x("cpp", empty_body="    return {};\n}\n"), codecontests.layout("cpp"),
    ),
)
