"""DS-1000: upstream's test program, the libraries a task needs, and tasks whose libraries
the sample interpreter lacks (reported as missing, kept out of pass@k).

Rows: ``tests/fixtures/data/ds1000`` (15 upstream rows, two per library; see its README) or,
with ``LINTSEQ_DATA_DIR``, the whole benchmark. Interpreters: a bare venv (no libraries), the
same venv with NumPy copied in (some tasks run, others are missing), and the DS-1000
environment that ``lintseq-eval python-env`` builds (``$LINTSEQ_DS1000_PYTHON`` or
``~/.cache/lintseq/envs/ds1000``; those tests skip without it).
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Benchmark, Task, load_benchmark
from lintseq_eval.cli import main
from lintseq_eval.ds1000 import postprocess, requires, upstream_program
from lintseq_eval.execution import Sample, SampleResult, evaluate_samples
from lintseq_eval.executors import Status, prepare
from lintseq_eval.programs import canonical_program, empty_program, instruction
from lintseq_eval.python_env import importable
from lintseq_eval.report import summarize
from lintseq_eval.sandbox import Limits

FIXTURE_IDS = [0, 1, 11, 291, 295, 511, 512, 666, 667, 711, 736, 817, 826, 932, 947]
DS1000_ENV = Path(os.environ.get("LINTSEQ_DS1000_PYTHON") or "~/.cache/lintseq/envs/ds1000/bin/python").expanduser()
LIMITS = Limits(run_timeout_s=120, memory_mb=8192)


@pytest.fixture(scope="module")
def bench(shared_data: Path) -> Benchmark:
    return load_benchmark("ds1000", shared_data)


@pytest.fixture(scope="module")
def fixture_tasks(bench: Benchmark) -> dict[str, Task]:
    by_id = bench.by_id()
    return {f"DS-1000/{i}": by_id[f"DS-1000/{i}"] for i in FIXTURE_IDS}


def _venv(root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    return root / "bin" / "python"


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An interpreter with the standard library only (as `python -m venv` makes it)."""
    return _venv(tmp_path_factory.mktemp("bare") / "env")


@pytest.fixture(scope="module")
def numpy_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with this interpreter's NumPy copied in: NumPy-only tasks run, the rest are missing."""
    np = pytest.importorskip("numpy")
    py = _venv(tmp_path_factory.mktemp("numpy") / "env")
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    src = Path(np.__file__).parent
    for name in ("numpy", "numpy.libs"):
        if (src.parent / name).is_dir():
            shutil.copytree(src.parent / name, Path(site) / name, symlinks=True)
    return py


def _run(tasks: dict[str, Task], make, python: Path, monkeypatch: pytest.MonkeyPatch) -> list[SampleResult]:
    monkeypatch.setenv("LINTSEQ_PYTHON", str(python))
    samples = [Sample(t.task_id, 0, "", make(t)) for t in tasks.values()]
    return evaluate_samples(tasks, samples, limits=LIMITS, workers=2)


# --------------------------------------------------------------------------- the layout


def test_rows_read_as_upstream_writes_them(bench: Benchmark, fixture_tasks: dict[str, Task]) -> None:
    ids = [t.task_id for t in bench.tasks]
    assert ids == sorted(ids, key=lambda i: int(i.split("/")[1]))  # numeric order, not text
    task = fixture_tasks["DS-1000/0"]
    assert instruction(task) == task.raw["prompt"] and instruction(task).endswith("BEGIN SOLUTION\n<code>\n")
    assert canonical_program(task) == task.raw["reference_code"]  # the code at [insert], no prefix
    assert empty_program(task) == ""
    assert load_benchmark("ds-1000", bench.source).name == "ds1000"


def test_requires_names_what_the_test_code_imports(fixture_tasks: dict[str, Task]) -> None:
    def req(i: int) -> tuple[str, ...]:
        return requires(fixture_tasks[f"DS-1000/{i}"].raw)

    assert req(0) == ("numpy", "pandas")  # `import copy` is the standard library's
    assert req(295) == ("numpy",)
    assert req(511) == ("PIL", "matplotlib", "numpy", "pandas", "seaborn")
    assert req(666) == ("tensorflow",)
    assert "torch" in req(947) and "sklearn" in req(826) and "scipy" in req(736)
    row = {"code_context": "from scipy.sparse import csr_matrix\nimport os, numpy.linalg as la\n",
           "metadata": {"library": "Pytorch"}}
    assert requires(row) == ("numpy", "scipy", "torch")  # metadata.library counts too


def test_postprocess_cuts_what_upstream_cuts() -> None:
    assert postprocess("x = 1\n</code>\nEND SOLUTION\nprint(2)") == "x = 1\n"
    assert postprocess("```python\nx = 1\n```\nexplanation") == "\nx = 1\n"
    assert postprocess("x = 1\nEND SOLUTION\n<code>y") == "x = 1"
    assert postprocess("<code>x = 1") == "x = 1"
    assert postprocess("result = df\n") == "result = df\n"


def test_test_program_is_upstreams(fixture_tasks: dict[str, Task]) -> None:
    plain, with_string = fixture_tasks["DS-1000/0"].raw, fixture_tasks["DS-1000/11"].raw
    assert "def test_string(" in with_string["code_context"] and "test_string(" not in plain["code_context"]
    answer = "result = df.iloc[List]\n</code>\nEND SOLUTION"
    assert upstream_program(plain, answer) == (plain["code_context"] + "\ncode = 'result = df.iloc[List]\\n'\n"
                                           "test_execution(code)\n\n")
    assert upstream_program(with_string, "x").endswith("\ncode = 'x'\ntest_execution(code)\ntest_string(code)\n")
    prep = prepare(fixture_tasks["DS-1000/11"], answer, Limits())
    assert upstream_program(with_string, answer) in prep.files["program.py"]
    assert prep.env["MPLBACKEND"] == "Agg" and prep.env["CUDA_VISIBLE_DEVICES"] == "-1"


def test_sample_files_give_the_code_at_insert(bench: Benchmark, tmp_path: Path) -> None:
    from lintseq_eval.programs import resolve_completion
    from lintseq_eval.sample_files import read_sample_file

    code = "result = a.sum()\n"
    path = tmp_path / "samples.jsonl"
    rows = [{"task_id": "DS-1000/295", "completion": code},
            {"task_id": "DS-1000/295", "solution": f"Here it is:\n```python\n{code}```\n"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    samples = read_sample_file(path, bench, fmt="baseline").samples(bench, resolve_completion)
    assert [s.program for s in samples] == [code, code.rstrip()]  # no prompt prepended, fences gone


# --------------------------------------------------------------------------- missing libraries


def test_bare_interpreter_runs_nothing_and_says_what_is_missing(
    fixture_tasks: dict[str, Task], bare_python: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _run(fixture_tasks, canonical_program, bare_python, monkeypatch)
    assert {r.status for r in results} == {Status.MISSING_LIBRARY}
    for r in results:
        assert r.missing == requires(fixture_tasks[r.task_id].raw) and r.wall_s == 0.0
        assert str(bare_python) in r.reason and ", ".join(r.missing) in r.reason
    summary = summarize(results)
    assert summary["tasks"] == 15 and summary["tasks_scored"] == 0 and summary["pass_at_k"] == {}
    assert summary["missing_libraries"]["by_module"]["tensorflow"] == 2
    assert summary["missing_libraries"]["task_ids"]["DS-1000/666"] == ["tensorflow"]


def test_a_language_that_cannot_probe_its_modules_is_a_clear_error(
    fixture_tasks: dict[str, Task], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from lintseq_eval import languages
    from lintseq_eval.errors import EvalError
    from lintseq_eval.execution import missing_libraries

    real = languages.benchmark_layout

    def no_probe(name: str) -> tuple[languages.EvalLanguage, languages.Layout]:
        lang, layout = real(name)
        return dataclasses.replace(lang, missing_modules=None), layout

    monkeypatch.setattr(languages, "benchmark_layout", no_probe)
    with pytest.raises(EvalError, match="cannot tell which are installed"):
        missing_libraries(list(fixture_tasks.values()))


def test_missing_tasks_are_out_of_pass_at_k(
    fixture_tasks: dict[str, Task], numpy_python: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canonical = _run(fixture_tasks, canonical_program, numpy_python, monkeypatch)
    empty = _run(fixture_tasks, empty_program, numpy_python, monkeypatch)
    for results, status, rate in ((canonical, Status.PASS, 1.0), (empty, Status.FAIL, 0.0)):
        ran = {r.task_id: r.status for r in results if r.scored}
        assert ran == {"DS-1000/295": status}, [r.reason for r in results if r.scored]
        assert all("numpy" not in r.missing for r in results)
        summary = summarize(results)
        assert summary["pass_at_k"] == {"pass@1": rate}
        assert (summary["tasks"], summary["tasks_scored"], summary["missing_libraries"]["tasks"]) == (15, 1, 14)


def test_cli_reports_missing_tasks(
    numpy_python: Path, repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LINTSEQ_PYTHON", sys.executable)  # restored after the CLI sets --python
    data = repo_root / "tests" / "fixtures" / "data"
    argv = ["--benchmark", "ds1000", "--dataset", str(data), "--canonical", "--python", str(numpy_python),
            "--timeout", "120", "--output-dir", str(tmp_path), "--no-plots", "-q"]
    assert main(argv) == 0
    assert "over 1 of 15 tasks (rest: missing libraries)" in capsys.readouterr().out
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["config"]["sample_python"] == str(numpy_python)
    assert summary["pass_at_k"] == {"pass@1": 1.0} and summary["tasks_scored"] == 1
    report = (tmp_path / "report.md").read_text()
    assert "| tasks not run, missing libraries (out of pass@k) | 14 (" in report
    assert "| DS-1000/666 | tensorflow |" in report and "| DS-1000/0 | pandas |" in report
    assert main([*argv[:-4], "--python", str(tmp_path / "nope"), *argv[-4:]]) == 2
    assert "--python" in capsys.readouterr().err


# --------------------------------------------------------------------------- with the libraries


@pytest.mark.slow
def test_references_pass_and_empty_answers_fail(fixture_tasks: dict[str, Task], monkeypatch: pytest.MonkeyPatch) -> None:
    if not DS1000_ENV.is_file():
        pytest.skip(f"no DS-1000 environment at {DS1000_ENV}: lintseq-eval python-env ds1000 --benchmark ds1000")
    have = importable(str(DS1000_ENV), {m for t in fixture_tasks.values() for m in requires(t.raw)})
    runnable = {tid for tid, t in fixture_tasks.items() if all(have[m] for m in requires(t.raw))}
    assert runnable, f"{DS1000_ENV} has none of the libraries: {have}"
    canonical = _run(fixture_tasks, canonical_program, DS1000_ENV, monkeypatch)
    assert {r.task_id for r in canonical if r.scored} == runnable
    assert {r.task_id: r.reason[-300:] for r in canonical if r.scored and not r.passed} == {}
    empty = _run(fixture_tasks, empty_program, DS1000_ENV, monkeypatch)
    assert [r.task_id for r in empty if r.passed] == []
    assert {r.status for r in empty if r.scored} == {Status.FAIL}


def test_whole_benchmark_rows(whole_data: Path) -> None:
    bench = load_benchmark("ds1000", whole_data)
    assert len(bench.tasks) == 1000
    libraries = collections.Counter(t.raw["metadata"]["library"] for t in bench.tasks)
    assert libraries == {"Pandas": 291, "Numpy": 220, "Matplotlib": 155, "Sklearn": 115, "Scipy": 106,
                         "Pytorch": 68, "Tensorflow": 45}
    assert sum("test_string(" in t.raw["code_context"] for t in bench.tasks) == 159
    modules = {m for t in bench.tasks for m in requires(t.raw)}
    assert modules == {"PIL", "gensim", "matplotlib", "mpl_toolkits", "numpy", "pandas", "scipy", "seaborn",
                       "sklearn", "statsmodels", "tensorflow", "torch", "xgboost", "yaml"}
