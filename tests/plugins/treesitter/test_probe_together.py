"""One compiler run for all of a probe's variants (`[probe] together_when`, issue 15).

tsc loads its standard library once per run, so checking the three or four renamed copies
of a TypeScript module in one run halves the probe's cost. The dependents it finds must be
those of one run per variant; a file the copies could see each other in (a script, a global
augmentation) keeps one run per variant.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter")

from lintseq_treesitter import probe
from lintseq_treesitter.compiled import compile_language
from lintseq_treesitter.plugin import builtin
from lintseq_treesitter.spec import Probe, load_spec

from lintseq_core.errors import ConfigError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realcode" / "typescript"

MODULE = """export abstract class Shape {
  abstract area(): number;
  label = "shape";
}
export class Square extends Shape {
  side = 2;
  area(): number {
    return this.side * this.side;
  }
  describe(): string {
    return `${this.label} ${this.area()}`;
  }
}
export const total = [new Square()].map((s) => s.area()).reduce((a, b) => a + b, 0);
"""


def _runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    real = probe._run

    def counted(p: Probe, argv: list[str], cwd: str) -> str | None:
        calls.append(argv)
        return real(p, argv, cwd)

    monkeypatch.setattr(probe, "_run", counted)
    return calls


def _dependents(source: bytes, together: bool) -> dict[int, set[int]]:
    spec = builtin.specs["typescript"]
    if not together:
        spec = dataclasses.replace(spec, probe=dataclasses.replace(spec.probe, together_when=""))
    compiled = compile_language(spec)
    return probe.probe_dependents(compiled, compiled.parser.parse(source).root_node, source)


@pytest.mark.skipif(shutil.which("tsc") is None, reason="tsc is not installed")
@pytest.mark.parametrize("name", ["module", *sorted(p.name for p in FIXTURES.glob("*.ts"))])
def test_one_run_finds_what_one_run_per_variant_finds(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source = MODULE.encode() if name == "module" else (FIXTURES / name).read_bytes()
    calls = _runs(monkeypatch)
    apart = _dependents(source, together=False)
    runs_apart = len(calls)
    together = _dependents(source, together=True)
    assert together == apart
    assert len(calls) - runs_apart == (1 if runs_apart > 1 else runs_apart)
    if name == "module":  # the renamed `side`, `label` and `area` are each found
        assert runs_apart >= 3 and len(apart) >= 3


@pytest.mark.skipif(shutil.which("tsc") is None, reason="tsc is not installed")
@pytest.mark.parametrize(
    "source",
    [
        MODULE.replace("export ", ""),  # a script: its copies would share one global scope
        MODULE + "declare global {\n  interface Window {\n    shape: Shape;\n  }\n}\n",
    ],
)
def test_copies_that_could_see_each_other_run_apart(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _runs(monkeypatch)
    _dependents(source.encode(), together=True)
    assert len(calls) >= 3 and all(sum(a.endswith("prog.ts") for a in argv) == 1 for argv in calls)


def test_the_output_of_one_run_is_split_by_file(tmp_path: Path) -> None:
    # A real process standing for a compiler: an error of no file, then each file's errors
    # with a continuation line, in the order the files were given.
    script = tmp_path / "fake_compiler.py"
    script.write_text(
        "import sys\n"
        "print('error: an option of no file')\n"
        "for path in reversed(sys.argv[1:]):\n"
        "    print(f'{path}(3,1): error X: in {path}')\n"
        "    print('  continued')\n"
    )
    spec = Probe(command=(sys.executable, str(script), "{file}"), filename="prog.x", rules=(), together_when=".")
    out = probe._compile_together(spec, sys.executable, b"x = 1\n", {"a": {0: b"#"}, "b": {1: b"!"}})
    assert {name: [line for line in text.splitlines() if line] for name, text in out.items()} == {
        "a": ["error: an option of no file", "0/prog.x(3,1): error X: in 0/prog.x", "  continued"],
        "b": ["error: an option of no file", "1/prog.x(3,1): error X: in 1/prog.x", "  continued"],
    }


@pytest.mark.parametrize(
    ("probe_table", "message"),
    [
        ({"together_when": "(unclosed"}, "together_when does not compile"),
        ({"together_when": ".", "command": ["go", "tool", "compile", "-o", "{dir}/p.o", "{file}"]}, "no `{dir}`"),
    ],
)
def test_a_bad_together_when_is_an_error(probe_table: dict, message: str) -> None:
    from importlib import resources

    data = {
        "name": "toy",
        "grammar": {"module": "tree_sitter_python"},
        "nodes": {"comments": ["comment"]},
        "probe": {"command": ["tsc", "{file}"], "filename": "p.ts", "rules": [], **probe_table},
    }
    with pytest.raises(ConfigError, match=message):
        load_spec(data, resources.files("lintseq_treesitter") / "queries", "toy.toml")
