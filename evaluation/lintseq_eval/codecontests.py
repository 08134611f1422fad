"""CodeContests (Li et al. 2022, AlphaCode; hub ``deepmind/code_contests``, CC-BY-4.0) as layouts.

Rows keep the hub's schema: ``name``, ``description``, ``public_tests`` /
``private_tests`` / ``generated_tests`` (each ``{"input": [...], "output": [...]}``),
``solutions`` (``{"language": [ids], "solution": [texts]}``; ids 1 Python 2, 2 C++,
3 Python 3, 4 Java), ``incorrect_solutions``, ``time_limit`` (``{"seconds", "nanos"}``) and
``memory_limit_bytes``. The task id is ``name``.

A sample is a whole program that reads stdin and writes stdout. It runs under
:mod:`lintseq_eval.stdio_judge` on every test pair (public, private, generated), each run
with the problem's time limit and memory limit; outputs are compared token by token. The
judge's run stage gets ``max(--timeout, tests x (time limit + 0.5 s) + 5 s)``: the
per-test limits decide, the stage limit only stops a stuck judge. A problem without a time
limit gets :data:`DEFAULT_TIME_S`; without a memory limit :data:`DEFAULT_MEMORY_BYTES`.

The reference program (``--canonical``) is the problem's first correct solution in the
layout's language; a problem with none has an empty reference (it fails the self-check,
which says so). The empty program prints nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lintseq_eval.languages import Layout, Prepared, Source, Tool, get_language
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["DEFAULT_MEMORY_BYTES", "DEFAULT_TIME_S", "LANGUAGE_IDS", "java_main_class", "judge_spec", "layout",
           "reference_solution"]

Row = Mapping[str, Any]
FAMILY = "codecontests"
LANGUAGE_IDS = {"python2": 1, "cpp": 2, "python": 3, "java": 4}
DEFAULT_TIME_S = 2.0
DEFAULT_MEMORY_BYTES = 256 * 1024 * 1024
_JUDGE = Path(__file__).with_name("stdio_judge.py")
_REQUIRED = ("name", "description", "public_tests", "private_tests", "generated_tests", "solutions",
             "time_limit", "memory_limit_bytes")


def time_limit_s(row: Row) -> float:
    """The problem's time limit in seconds (``{"seconds", "nanos"}``), or the default."""
    tl = row.get("time_limit") or {}
    seconds = float(tl.get("seconds") or 0) + float(tl.get("nanos") or 0) / 1e9
    return seconds if seconds > 0 else DEFAULT_TIME_S


def judge_spec(row: Row) -> dict[str, Any]:
    """What the judge needs: limits and every (input, output) pair, public first."""
    pairs: list[list[str]] = []
    for key in ("public_tests", "private_tests", "generated_tests"):
        group = row.get(key) or {}
        inputs, outputs = group.get("input") or [], group.get("output") or []
        if len(inputs) != len(outputs):
            from lintseq_eval.errors import BenchmarkError

            raise BenchmarkError(f"{row['name']}: {key} has {len(inputs)} inputs but {len(outputs)} outputs")
        pairs += [[i, o] for i, o in zip(inputs, outputs, strict=True)]
    memory = int(row.get("memory_limit_bytes") or 0) or DEFAULT_MEMORY_BYTES
    return {"time_limit_s": time_limit_s(row), "memory_bytes": memory, "tests": pairs}


def reference_solution(row: Row, language_id: int) -> str:
    """The first solution written in ``language_id``, or "" when there is none."""
    sols = row.get("solutions") or {}
    for lang, text in zip(sols.get("language") or [], sols.get("solution") or [], strict=False):
        if int(lang) == language_id:
            return text
    return ""


def _instruction(row: Row) -> str:
    return row["description"].strip() + "\n\nRead the input from standard input and write the answer to standard output."


def _judge_stage(spec_text: str, limits: Limits, command: tuple[str, ...]) -> Stage:
    spec = json.loads(spec_text)
    own = len(spec["tests"]) * (spec["time_limit_s"] + 0.5) + 5.0
    from lintseq_eval.languages.python import python_interpreter

    return Stage("run", (python_interpreter(), "-B", "-I", "judge.py", "tests.json", "--", *command),
                 max(limits.run_timeout_s, own))


def _mounts(tool: Tool) -> tuple[str, ...]:
    """The judge's interpreter, mounted as Python samples mount it."""
    python = get_language("python")
    return tuple(python.mounts(tool)) if python.mounts else ()


def _prepare_python(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    from lintseq_eval.languages.python import python_interpreter

    files = {"solution.py": src.program, "judge.py": _JUDGE.read_text(encoding="utf-8"),
             "tests.json": src.tests, ".lintseq_nonce": nonce}
    stage = _judge_stage(src.tests, limits, (python_interpreter(), "-B", "-I", "solution.py"))
    return Prepared(files, (stage,), nonce, {"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"},
                    extra_ro=_mounts(tool))


def _prepare_cpp(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    files = {"main.cpp": src.program, "judge.py": _JUDGE.read_text(encoding="utf-8"),
             "tests.json": src.tests, ".lintseq_nonce": nonce}
    compile_ = Stage("compile", (tool("g++"), "-std=c++17", "-O2", "-w", "-o", "solution", "main.cpp"),
                     limits.compile_timeout_s)
    return Prepared(files, (compile_, _judge_stage(src.tests, limits, ("solution",))), nonce,
                    {"PYTHONDONTWRITEBYTECODE": "1"}, extra_ro=_mounts(tool))


_ANY_CLASS = re.compile(r"\bclass\s+([A-Za-z_$][\w$]*)")
_TOP_LEVEL_CLASS = re.compile(r"^(?:(?:final|abstract|strictfp)\s+)*class\s+([A-Za-z_$][\w$]*)", re.M)
_MAIN = re.compile(r"\bstatic\s+(?:final\s+)?void\s+main\s*\(")
JAVA_STACK = "-Xss64m"  # deep recursion, as Codeforces gives Java


def java_main_class(program: str) -> str:
    """The class a Java solution runs as: its top-level public type (whose name the file must
    bear), else the last class declared before ``main`` (at column 0 if any is: not a nested
    one), else ``Main``. Contest solutions name it freely (``Main``, ``Solution``, ``A``...)."""
    from lintseq_compilers.javac import public_type_name

    public = public_type_name(program, top_level_only=True)
    if public:
        return public
    main = _MAIN.search(program)
    head = program[: main.start()] if main else program
    before = _TOP_LEVEL_CLASS.findall(head) or _ANY_CLASS.findall(head)
    return before[-1] if before else "Main"


def _prepare_java(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    """The JVM reserves far more address space than it uses, so ``RLIMIT_AS`` would stop it from
    starting: the memory limit is the heap (``-Xmx``), as judges that run Java set it."""
    from lintseq_eval.languages.java import JVM_FLAGS

    spec = json.loads(src.tests)
    heap_mb = max(16, spec["memory_bytes"] // (1024 * 1024))
    spec["memory_bytes"] = 0
    tests = json.dumps(spec)
    name = java_main_class(src.program)
    files = {f"{name}.java": src.program, "judge.py": _JUDGE.read_text(encoding="utf-8"),
             "tests.json": tests, ".lintseq_nonce": nonce}
    compile_ = Stage("compile", (tool("javac"), *(f"-J{f}" for f in JVM_FLAGS), "-J-Xmx768m", "-encoding", "UTF-8",
                                 "-nowarn", "-d", ".", f"{name}.java"), limits.compile_timeout_s)
    run = (tool("java"), *JVM_FLAGS, f"-Xmx{heap_mb}m", JAVA_STACK, "-cp", ".", name)
    return Prepared(files, (compile_, _judge_stage(tests, limits, run)), nonce,
                    {"PYTHONDONTWRITEBYTECODE": "1"}, extra_ro=_mounts(tool))


_LANGUAGES: dict[str, tuple[Callable[[Source, str, Limits, Tool], Prepared], str, tuple[str, ...]]] = {
    "python": (_prepare_python, "", ("codecontests-py", "codecontests-python3")),
    "cpp": (_prepare_cpp, "int main() { return 0; }\n", ("codecontests-c++",)),
    "java": (_prepare_java, "public class Main {\n    public static void main(String[] args) {\n    }\n}\n", ()),
}


def layout(language: str) -> Layout:
    """The CodeContests layout of ``language`` (``python``, ``cpp`` or ``java``): benchmark ``codecontests-<language>``."""
    prepare, empty, aliases = _LANGUAGES[language]
    lang_id = LANGUAGE_IDS[language]
    return Layout(
        benchmark=f"{FAMILY}-{language}",
        family=FAMILY,
        local_name="codecontests/code_contests_test.jsonl",
        hub=("deepmind/code_contests", None, "test"),
        required=_REQUIRED,
        instruction=_instruction,
        prefix=lambda row: "",
        solution=lambda row: reference_solution(row, lang_id),
        empty=lambda row: empty,
        tests=lambda row: Source("", json.dumps(judge_spec(row))),
        aliases=aliases,
        row_id=lambda row: str(row["name"]),
        prepare=prepare,
    )
