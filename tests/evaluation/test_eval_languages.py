"""The evaluation language registry: one entry adds a language, its executor and benchmark.

Ruby (a language a later issue adds for MultiPL-E) is registered here from one
:class:`EvalLanguage` value: its toolchain comes from ``lintseq_compilers`` (``ruby``), its
fence tags from the host, its benchmark is a layout over a tiny JSONL file. Nothing else in
``lintseq_eval`` is touched, and a reference program passes while a wrong one fails in the
real sandbox.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lintseq_eval import languages as registry
from lintseq_eval.benchmarks import benchmark_names, load_benchmark
from lintseq_eval.errors import BenchmarkError, EvalError, ToolchainMissingError
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status, check_toolchain
from lintseq_eval.interpreted import interpreted_harness
from lintseq_eval.languages import (
    EvalLanguage,
    Layout,
    Source,
    get_language,
    registered,
)
from lintseq_eval.programs import canonical_program, empty_program, instruction, resolve_completion
from lintseq_eval.report import environment_info

# ---- the whole new language: one value ------------------------------------------------

_RUNNER = """\
nonce = File.read('.lintseq_nonce').strip
File.delete('.lintseq_nonce')
load './program.rb'
$stdout.flush
STDOUT.syswrite("\\n#{nonce}\\n")
"""


_prepare = interpreted_harness("rb", _RUNNER, ("ruby", "--disable-gems"))


RUBY = EvalLanguage(
    name="ruby",
    aliases=("rb",),
    toolchain="ruby",
    prepare=_prepare,
    mounts=lambda tool: [str(p) for p in Path("/usr/lib").glob("ruby")],
    layouts=(
        Layout(
            benchmark="toy-rb",
            family="toy",
            local_name="toy/toy_rb.jsonl",
            hub=("nobody/toy", None, "test"),
            required=("task_id", "prompt", "canonical_solution", "test"),
            instruction=lambda row: row["prompt"].rstrip(),
            prefix=lambda row: row["prompt"],
            solution=lambda row: row["canonical_solution"],
            empty=lambda row: row["prompt"] + "  nil\nend\n",
            tests=lambda row: Source("", row["test"]),
            whole_program=lambda row: row["prompt"] + row["canonical_solution"],
        ),
    ),
)

ROWS = [
    {"task_id": "Toy/0", "prompt": "# Add two numbers.\ndef add(a, b)\n", "canonical_solution": "  a + b\nend\n",
     "test": "raise 'add' unless add(2, 3) == 5\nraise 'add' unless add(-1, 1) == 0"},
    {"task_id": "Toy/1", "prompt": "# Reverse a string.\ndef rev(s)\n", "canonical_solution": "  s.reverse\nend\n",
     "test": "raise 'rev' unless rev('abc') == 'cba'"},
]


@pytest.fixture
def ruby(monkeypatch: pytest.MonkeyPatch) -> Iterator[EvalLanguage]:
    if registry.languages().get("ruby"):  # the built-in entry (MultiPL-E) steps aside meanwhile
        monkeypatch.delitem(registry._registry, "ruby")
    with registered(RUBY) as lang:
        yield lang


@pytest.fixture
def toy_file(tmp_path: Path) -> Path:
    path = tmp_path / "toy_rb.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    return path


def test_one_entry_adds_language_benchmark_and_programs(ruby: EvalLanguage, toy_file: Path) -> None:
    assert "toy-rb" in benchmark_names() and get_language("rb") is ruby
    bench = load_benchmark("toy-rb", toy_file)
    assert bench.language == "ruby" and [t.task_id for t in bench.tasks] == ["Toy/0", "Toy/1"]
    task = bench.tasks[0]
    assert instruction(task) == "# Add two numbers.\ndef add(a, b)"
    assert canonical_program(task) == "# Add two numbers.\ndef add(a, b)\n  a + b\nend\n"
    # the host's fence tags: ``rb`` is one the tree-sitter plugin declares for Ruby
    assert resolve_completion(task, "Sure:\n```rb\nputs 1\n```\n", "baseline").program.strip() == "puts 1"
    # toolchain facts come from lintseq_compilers' ruby analyzer
    assert ruby.executables() == ("ruby",) and "apt-get install ruby" in ruby.install_hint()


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed")
def test_a_registered_language_runs_in_the_sandbox(ruby: EvalLanguage, toy_file: Path) -> None:
    bench = load_benchmark("toy-rb", toy_file)
    tasks = bench.by_id()
    samples = [Sample(t.task_id, 0, "", canonical_program(t)) for t in bench.tasks]
    samples += [Sample(t.task_id, 1, "", empty_program(t)) for t in bench.tasks]
    samples.append(Sample("Toy/0", 2, "", "def add(a, b)\n  exit 0\nend\n"))  # exits before the token
    results = evaluate_samples(tasks, samples, workers=1)
    status = {(r.task_id, r.index): r.status for r in results}
    assert status[("Toy/0", 0)] is Status.PASS and status[("Toy/1", 0)] is Status.PASS, results
    assert status[("Toy/0", 1)] is Status.FAIL and status[("Toy/1", 1)] is Status.FAIL
    assert status[("Toy/0", 2)] is Status.FAIL
    assert environment_info("ruby")["toolchain"].startswith("ruby ")


def test_registry_rejects_clashes_and_unknown_names(ruby: EvalLanguage) -> None:
    with pytest.raises(EvalError, match="already taken by ruby"):
        registry.register(EvalLanguage(name="crystal", aliases=("rb",), prepare=_prepare))
    with pytest.raises(EvalError, match="benchmark 'humaneval' is already defined by python"):
        registry.register(EvalLanguage(name="crystal", prepare=_prepare, layouts=(
            Layout(**{**RUBY.layouts[0].__dict__, "benchmark": "humaneval"}),)))
    with pytest.raises(ToolchainMissingError, match="no executor for language 'cobol'"):
        check_toolchain("cobol")
    with pytest.raises(BenchmarkError, match="unknown benchmark 'toy-cobol'"):
        load_benchmark("toy-cobol")


def test_builtin_entries_use_the_host_names_and_compiler_toolchains() -> None:
    langs = registry.languages()
    assert set(langs) >= {"cpp", "go", "java", "javascript", "python", "rust"}
    assert get_language("js").name == "javascript"
    assert langs["javascript"].executables() == ("node",)
    assert langs["java"].executables() == ("javac", "java")
    assert "libssl-dev" in langs["cpp"].install_hint() and "g++" in langs["cpp"].install_hint()
    from lintseq_core.host import get_host

    host = get_host()
    for name in langs:  # every built-in evaluation language is one the host knows by that name
        if not langs[name].fence_tags:  # ...except one no host plugin declares (Lua)
            assert host.language(name).name == name


def test_an_entry_point_adds_a_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A third-party distribution registers its module's EvalLanguage in the entry-point group."""
    dist = tmp_path / "lintseq_ruby_eval-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: lintseq-ruby-eval\nVersion: 0.1\n\n")
    (dist / "entry_points.txt").write_text(f"[{registry.ENTRY_POINT_GROUP}]\nruby = lintseq_ruby_eval:LANGUAGE\n")
    (tmp_path / "lintseq_ruby_eval.py").write_text(
        "from tests_eval_ruby_entry import RUBY as LANGUAGE\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "tests_eval_ruby_entry", sys.modules[__name__])
    import lintseq_eval.languages.ruby as builtin_ruby

    monkeypatch.setattr(builtin_ruby, "LANGUAGE", None)  # the built-in ruby module steps aside
    monkeypatch.setattr(registry, "_registry", None)
    assert registry.languages()["ruby"] is RUBY
    assert registry.benchmark_layout("toy-rb")[0] is RUBY
    (tmp_path / "lintseq_ruby_eval.py").write_text("raise ImportError('broken plugin')\n")
    sys.modules.pop("lintseq_ruby_eval", None)
    monkeypatch.setattr(registry, "_registry", None)
    with pytest.raises(EvalError, match=r"'ruby'.*lintseq-ruby-eval.*broken plugin"):
        registry.languages()
    monkeypatch.setattr(registry, "_registry", None)
