"""TypeScript, JavaScript and Ruby data: each rule found on real code fires when it should.

The fast tests check the analyzer on small cases taken from failures seen on the real-code
corpora (``benchmarks/corpus/sources/{typescript,javascript,ruby}.toml``); the slow ones run
the tree-sitter analyzer on real files and have the compiler judge every intermediate state
(Ruby's own standard library, npm's own sources as installed with Node.js, and a few
TypeScript files copied with attribution under ``tests/fixtures/realcode/typescript``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter")

from lintseq_core.ablate import oracle_for
from lintseq_core.edits import resolve_edit_path
from lintseq_core.host import PluginHost
from lintseq_core.sampler import make_sampler, sample_many, state_texts

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realcode"


def codes(host: PluginHost, lang: str, source: str) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in host.analyze(lang, "treesitter", source)}


def new_errors(host: PluginHost, lang: str, original: str, state: str) -> set[str]:
    """Codes of ``state`` the original lacks (as the sampler's baseline sees them)."""
    base = {d.code for d in host.analyze(lang, "treesitter", original)}
    return {d.code for d in host.analyze(lang, "treesitter", state)} - base


def codes_of(host: PluginHost, lang: str, source: str) -> set[str]:
    return {c for _, c in codes(host, lang, source)}


def structure(host: PluginHost, lang: str, source: str):
    sampler = make_sampler(host, lang, "treesitter")
    return sampler.prepare(source).structure


# ---- TypeScript ---------------------------------------------------------------------------
DERIVED = """class Base {}
export class Failure extends Base {
  code: string;
  #detail: string;
  constructor(code: string) {
    super();
    this.code = code;
    this.#detail = code;
  }
  describe(): string {
    return this.#detail;
  }
}
"""


def test_typescript_super_call_goes_only_with_its_constructor(host):
    st = structure(host, "typescript", DERIVED)
    super_row = DERIVED.splitlines().index("    super();")
    assert super_row not in st.candidates
    assert st.owner[super_row] != super_row  # an error there deletes the constructor's class


def test_typescript_field_needs_its_constructor_assignment(host):
    state = DERIVED.replace("    this.code = code;\n", "")
    assert "field-not-initialized:code" in new_errors(host, "typescript", DERIVED, state)
    optional = DERIVED.replace("  code: string;", "  code?: string;")
    optional_state = state.replace("  code: string;", "  code?: string;")
    assert "field-not-initialized:code" not in new_errors(host, "typescript", optional, optional_state)


def test_typescript_private_names_resolve_to_their_class(host):
    state = DERIVED.replace("  #detail: string;\n", "")
    assert "undefined:#detail" in new_errors(host, "typescript", DERIVED, state)


def test_typescript_a_constructor_parameter_error_deletes_the_class(host):
    prog = "class A {\n  constructor(\n    readonly kind: Kind,\n  ) {}\n}\ntype Kind = number;\n"
    st = structure(host, "typescript", prog)
    assert st.owner[2] == 0  # the parameter line is charged to the class, not the constructor


def test_typescript_result_types_need_their_returns(host):
    prog = """function peek(xs: number[]): number | undefined {
  if (xs.length) {
    return xs[0];
  }
}
function pair(a: number) {
  return { a, b: a };
}
const first = pair(1).b;
"""
    no_return = prog.replace("    return xs[0];\n", "")
    assert "no-return" in new_errors(host, "typescript", prog, no_return)
    # falling through is fine for a result type that includes undefined
    assert not {c for _, c in codes(host, "typescript", prog)} & {"missing-return", "no-return"}
    inferred = prog.replace("  return { a, b: a };\n", "")
    assert "inferred-result" in new_errors(host, "typescript", prog, inferred)


def test_typescript_type_predicates_and_async_void(host):
    prog = "function isNum(x: unknown): x is number {\n}\nasync function run(): Promise<void> {\n}\n"
    got = codes(host, "typescript", prog)
    assert (1, "missing-return") in got
    assert (3, "missing-return") not in got


def test_typescript_unassigned_locals_and_empty_arrays(host):
    prog = "function f() {\n  let v: number;\n  let out = [];\n  v = 1;\n  out.push(v);\n  return out;\n}\n"
    assert not {c for _, c in codes(host, "typescript", prog) if c.startswith("unassigned")}
    assert "unassigned-variable:v" in new_errors(host, "typescript", prog, prog.replace("  v = 1;\n", ""))
    no_push = prog.replace("  out.push(v);\n", "")
    assert "unassigned-variable:out" in new_errors(host, "typescript", prog, no_push)


def test_typescript_overloads_lead_their_implementation(host):
    prog = "class A {\n  on(a: string): void\n  on(a: number): void\n  on(a: any): void {\n  }\n}\n"
    st = structure(host, "typescript", prog)
    assert 1 not in st.candidates and 2 not in st.candidates
    assert {1, 2} <= set(st.children[3])


def test_typescript_namespace_exports_and_function_type_parameters(host):
    prog = """export class Panel {
  constructor(options: Panel.IOptions) {
    Private.attach(options);
  }
}
export namespace Panel {
  export interface IOptions { mark?: (mark: string) => boolean }
}
namespace Private {
  export function attach(options: Panel.IOptions): void {}
}
"""
    assert not {c for _, c in codes(host, "typescript", prog) if c.startswith("undefined:")}
    assert "undefined:IOptions" in new_errors(host, "typescript", prog, prog.replace(
        "  export interface IOptions { mark?: (mark: string) => boolean }\n", ""))
    assert "undefined:attach" in new_errors(host, "typescript", prog, prog.replace(
        "  export function attach(options: Panel.IOptions): void {}\n", ""))
    assert "undefined:mark" in codes_of(host, "typescript", "const f = (x: string) => mark;\n" + prog)


def test_typescript_member_and_variable_of_one_name_are_different_errors(host):
    prog = "function f(tx: Tx, to: string) {\n  if (to) { tx.to = to; }\n}\ninterface Tx { from: string }\n"
    messages = {d.message for d in host.analyze("typescript", "treesitter", prog.replace(", to: string", ""))}
    assert {"to has no visible definition", "to has no visible definition (member)"} <= messages


def test_typescript_types_and_values_are_separate_namespaces(host):
    prog = """export const OP = "x" as const;
export type OP = typeof OP;
interface Shape { area(): number }
class Box implements Shape { area(): number { return 1; } }
const s: Shape = new Box();
"""
    assert not {c for _, c in codes(host, "typescript", prog) if c.startswith("undefined:")}
    # `typeof OP` reads the value, which the type alias of the same name does not provide ...
    no_value = {d.message for d in host.analyze("typescript", "treesitter", prog.replace(
        'export const OP = "x" as const;\n', ""))}
    assert "OP has no visible definition" in no_value
    # ... and a value of the interface's name does not declare the type.
    no_type = {d.message for d in host.analyze("typescript", "treesitter", prog.replace(
        "interface Shape { area(): number }", "const Shape = 1;"))}
    assert "Shape has no visible definition (type)" in no_type


def test_typescript_object_type_on_a_continuation_line_is_no_item(host):
    prog = "type E = Extract<\n  string | { type: 1 },\n  { type: 1 }\n>;\nconst e: E = { type: 1 };\n"
    st = structure(host, "typescript", prog)
    assert 0 in st.candidates and not {1, 2, 3} & set(st.candidates)


@pytest.mark.skipif(shutil.which("tsc") is None, reason="tsc is not installed")
def test_typescript_probe_ties_member_uses_to_every_member_of_that_name(host):
    # `context.finish()` resolves by name to either class's `finish`; tsc says which.
    prog = """class NodeContext {
  finish(): number {
    return 1;
  }
}
class ParseContext {
  nodes: NodeContext[] = [];
  finish(): number {
    return this.nodes[0].finish();
  }
}
abstract class Base {
  abstract eq(other: Base): boolean;
}
class Derived extends Base {
  eq(other: Base): boolean {
    return other === this;
  }
}
"""
    st = structure(host, "typescript", prog)
    assert 8 in st.children[1]  # deleting NodeContext.finish deletes the call
    assert 8 in st.children[6]  # ... and so does deleting the field it is called on
    assert 14 in st.children[15]  # a class keeps the member that implements an abstract one


# ---- JavaScript ---------------------------------------------------------------------------
def test_javascript_destructuring_defaults_renames_and_private_names(host):
    prog = """class Store {
  #items = [];
  add({ key, value = 1, meta: { tag } = {} }, [first = 0, ...rest]) {
    const { state: current = {} } = this;
    this.#items.push([key, value, tag, first, rest, current]);
  }
}
"""
    assert not codes(host, "javascript", prog)
    state = prog.replace("  #items = [];\n", "")
    assert "undefined:#items" in new_errors(host, "javascript", prog, state)


def test_javascript_destructuring_assignment_writes_existing_names(host):
    prog = "let a = 1, b = 2;\n[a, b] = [b, a];\n"
    assert not codes(host, "javascript", prog)
    assert "undefined:a" in new_errors(host, "javascript", prog, prog.replace("let a = 1, b = 2;", "let b = 2;"))


# ---- Ruby ---------------------------------------------------------------------------------
def test_ruby_case_keeps_a_when_clause(host):
    prog = "def kind(x)\n  case x\n  when Integer then :int\n  else :other\n  end\nend\n"
    assert not {c for _, c in codes(host, "ruby", prog) if not c.startswith("undefined:")}
    state = prog.replace("  when Integer then :int\n", "")
    assert "case-without-when" in new_errors(host, "ruby", prog, state)


# ---- real files, judged by the compiler ---------------------------------------------------
def _ruby_stdlib() -> list[Path]:
    root = Path("/usr/lib/ruby/3.1.0")
    names = ["observer.rb", "shellwords.rb", "abbrev.rb"]
    return [root / n for n in names if (root / n).is_file()]


def _npm_sources() -> list[Path]:
    root = Path("/usr/lib/node_modules/npm/lib")
    found = sorted(p for p in root.rglob("*.js") if 30 <= p.read_text(encoding="utf-8").count("\n") <= 150)
    return found[:3]


REALCODE = {
    "ruby": _ruby_stdlib,
    "javascript": _npm_sources,
    "typescript": lambda: sorted((FIXTURES / "typescript").glob("*.ts")),
}


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(REALCODE))
def test_real_files_states_are_accepted_by_the_compiler(language, host):
    """Relative rule: a state passes when the compiler reports no error the original lacks."""
    oracle = oracle_for(host, language)
    if oracle is None:
        pytest.skip(f"no compiler for {language} is installed")
    files = REALCODE[language]()
    if not files:
        pytest.skip(f"no real {language} sources are installed here")
    sampler = make_sampler(host, language, "treesitter")
    for index, path in enumerate(files):
        code = path.read_text(encoding="utf-8")
        base = {d.code for d in host.analyze(language, oracle, code)}
        ((seq, _),) = sample_many(sampler, code, seed=0, index=index)
        assert resolve_edit_path(seq.edit_path) == code
        assert len(seq.edit_path) > 1, f"{path.name} became a single edit"
        for state in state_texts(seq):
            extra = {d.message for d in host.analyze(language, oracle, state) if d.code not in base}
            assert not extra, f"{path.name}: {oracle} rejects an intermediate state:\n{state}\n{extra}"
