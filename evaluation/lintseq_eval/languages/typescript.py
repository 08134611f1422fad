"""TypeScript: MultiPL-E ``ts`` (HumanEval and MBPP).

As MultiPL-E does: ``tsc --target esnext`` compiles ``program.ts`` (prompt, completion and
tests; a type error fails the sample), then Node runs the JavaScript, with the JavaScript
harness (:mod:`lintseq_eval.languages.javascript`: the token file, a throwing
``console.assert``). ``tsc`` runs under ``node`` so that Node's heap limit fits the
sandbox's address-space limit.
"""

from __future__ import annotations

from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool
from lintseq_eval.languages import javascript as js
from lintseq_eval.multiple import BENCHMARKS, multiple
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["LANGUAGE"]


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    run = js.LANGUAGE.prepare(Source("", ""), nonce, limits, tool)
    files = {k: v for k, v in run.files.items() if k != "program.js"}
    files["program.ts"] = src.program + "\n\n" + src.tests + "\n"
    compile_ = Stage("compile", (tool("node"), "--max-old-space-size=2048", tool("tsc"), "--target", "esnext",
                                 "--module", "commonjs", "--pretty", "false", "program.ts"), limits.compile_timeout_s)
    return Prepared(files, (compile_, *run.stages), nonce, run.env, cleanup=("program.ts",))


LANGUAGE = EvalLanguage(
    name="typescript",
    aliases=("ts",),
    toolchain="tsc",
    tools=("node",),
    prepare=_prepare,
    mounts=js.LANGUAGE.mounts,
    layouts=tuple(multiple(b, "ts", empty_body="  return undefined;\n}\n") for b in BENCHMARKS),
)
