"""TypeScript data: classes of failure found on the real-code corpus (issue 9), one test each.

Each fast test takes a small program of one class (definite assignment of locals, narrowing
guards, switch arms, exhaustive switches, fields assigned in both arms of a constructor's
`if`) and checks that the tree-sitter analyzer flags the broken state, or that the structure
keeps together what tsc needs together. The slow test has tsc judge every intermediate state
of real files copied with attribution under ``tests/fixtures/realcode/typescript``.
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

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realcode" / "typescript"


def codes(host: PluginHost, source: str) -> set[str]:
    return {d.code for d in host.analyze("typescript", "treesitter", source)}


def structure(host: PluginHost, source: str):
    return make_sampler(host, "typescript", "treesitter").prepare(source).structure


def descendants(st, row: int) -> set[int]:
    """Rows deleted with ``row`` (its children, transitively)."""
    seen: set[int] = set()
    todo = [row]
    while todo:
        for child in st.children[todo.pop()]:
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def test_local_assigned_in_both_arms_needs_both(host):
    # tsc: "Variable 'span' is used before being assigned" once one arm's assignment is gone.
    prog = """export function fill(start: number, stop: number): number {
  let span: number;
  if (stop < start) {
    span = start - stop;
  } else {
    span = stop - start + 1;
  }
  return span;
}
"""
    assert "used-before-assigned:span" not in codes(host, prog)
    assert "used-before-assigned:span" in codes(host, prog.replace("    span = start - stop;\n", ""))
    # ... and an untyped `let F, K;` read after an `else if` chain ("'K' is possibly 'undefined'").
    chain = "export function f(i: number): number {\n  let K;\n  if (i < 20) {\n    K = 1;\n  } else {\n    K = 2;\n  }\n  return K;\n}\n"
    assert "used-before-assigned:K" not in codes(host, chain)
    assert "used-before-assigned:K" in codes(host, chain.replace("    K = 2;\n", ""))
    # `let x!: T` opts out of the check.
    assert "used-before-assigned:x" not in codes(host, "export function g(): number {\n  let x!: number;\n  return x;\n}\n")


def test_local_assigned_only_inside_a_loop_is_not_assigned_after_it(host):
    prog = "export function last(xs: number[]): number {\n  let a: number;\n  for (const z of xs) {\n    a = z;\n  }\n  return a;\n}\n"
    assert "used-before-assigned:a" in codes(host, prog)  # tsc rejects it too


def test_switch_arms_assign_each_alone(host):
    # The engine's `initialized` walk reads a switch's arms as branches: each must assign
    # (or leave: `throw`), and an arm that breaks before assigning leaves the name unassigned.
    prog = """export function zoneOf(ad: number, al: number, at: number): string {
  let zone: string;
  switch (ad) {
    case al:
      zone = "left";
      break;
    case at:
      zone = "top";
      break;
    default:
      throw new Error("unreachable");
  }
  return zone;
}
"""
    assert "used-before-assigned:zone" not in codes(host, prog)
    assert "used-before-assigned:zone" in codes(host, prog.replace('      zone = "top";\n', ""))
    assert "used-before-assigned:zone" in codes(host, prog.replace('      throw new Error("unreachable");\n', ""))


def test_try_catch_and_never_functions_terminate(host):
    prog = """export function pushback(v: string): number | null {
  try {
    return parseInt(v);
  } catch (e) {
    return -1;
  }
}
"""
    assert "missing-return" not in codes(host, prog)
    assert "missing-return" in codes(host, prog.replace("    return -1;\n", ""))
    # A function returning `never` keeps its `throw` ("cannot have a reachable end point").
    never = "export function fail(msg: string): never {\n  throw new TypeError(msg);\n}\n"
    assert "missing-return" not in codes(host, never)
    assert "missing-return" in codes(host, never.replace("  throw new TypeError(msg);\n", ""))


def test_inferred_result_keeps_its_last_return(host):
    # `(() => { ... })()` typed `number` becomes `number | undefined` without its last return.
    prog = "export const length = (() => {\n  if (n <= 55) return 1 + n\n  return 2 + n\n})()\nconst n = 3\n"
    st = structure(host, prog)
    assert 2 not in st.candidates and 2 in descendants(st, 0)
    assert 1 in st.candidates  # the other returns stay free


def test_local_shadowing_its_function_goes_with_its_uses(host):
    # Without `let nfa`, `return nfa` returns the function itself (a type error, not a name error).
    prog = "export function nfa(n: number): number[] {\n  let nfa: number[] = [n]\n  return nfa\n}\n"
    st = structure(host, prog)
    assert 2 in descendants(st, 1)


def test_narrowing_guard_takes_the_rest_of_its_block(host):
    prog = """export function toTimestamp(date?: Date | null): number | null {
  if (!date) {
    return null;
  }
  const millis = date.getTime();
  return millis / 1000;
}
export function create(x?: number): number[] {
  if (x == null) {
    x = 0;
  }
  return [x];
}
"""
    st = structure(host, prog)
    assert {4, 5} <= descendants(st, 1)  # deleting the guard deletes what it narrows
    assert 2 not in st.candidates  # its `return null` goes only with it
    assert 11 in descendants(st, 8) and 9 not in st.candidates
    # A guard with an `else` on any object's field narrows it too.
    field = """export function report(parent: { kids: Set<number> | null }, c: number): void {
  if (!parent.kids) {
    parent.kids = new Set();
  } else if (parent.kids.has(c)) {
    return;
  }
  parent.kids.add(c);
}
"""
    st = structure(host, field)
    assert 6 in descendants(st, 1) and 2 not in st.candidates
    # An assignment to an optional or union-typed parameter narrows it, as `instanceof` does.
    param = """export function pos(index: number, depth?: number | null): number {
  depth = resolve(depth);
  return depth * 3 + index;
}
export function timeout(deadline: Date | number): number {
  if (deadline instanceof Date) {
    deadline = deadline.getTime();
  }
  return deadline - 1;
}
function resolve(d?: number | null): number { return d ?? 0; }
"""
    st = structure(host, param)
    assert 2 in descendants(st, 1)
    assert 8 in descendants(st, 5) and 6 not in st.candidates
    # `to = to as this` narrows `to` for the statements after it.
    cast = "export function clone(to?: object): object {\n  to = to as object;\n  return to;\n}\n"
    assert 2 in descendants(structure(host, cast), 1)


def test_switch_arm_keeps_its_break_and_exhaustive_switches_keep_their_arms(host):
    prog = """type Shape = { kind: "a"; n: number } | { kind: "b"; s: string };
export function size(x: Shape): number {
  let out = 0;
  switch (x.kind) {
    case "a":
      out = x.n;
      break;
    case "b":
      out = x.s.length;
      break;
  }
  return out;
}
export function name(x: Shape): string {
  switch (x.kind) {
    case "a":
      return "a";
    case "b":
      return "b";
  }
}
"""
    st = structure(host, prog)
    assert 6 not in st.candidates and 9 not in st.candidates  # `break` goes with its arm
    assert 5 in st.candidates  # ... a switch followed by more code keeps free arms
    assert not {15, 17} & set(st.candidates)  # the arms of an exhaustive switch go with it


def test_field_assigned_in_both_arms_of_a_constructor_if(host):
    prog = """export class Call {
  private state: string;
  constructor(retry: boolean) {
    if (retry) {
      this.state = "RETRY";
    } else {
      this.state = "ONCE";
    }
  }
}
"""
    assert "field-not-initialized:state" not in codes(host, prog)
    st = structure(host, prog)
    assert 4 not in st.candidates and 6 not in st.candidates  # each arm's assignment stays
    no_if = prog.replace(prog[prog.index("    if"):prog.index("  }\n}")], "")
    assert "field-not-initialized:state" in codes(host, no_if)


@pytest.mark.skipif(shutil.which("tsc") is None, reason="tsc is not installed")
def test_probe_ties_keyof_string_literals_to_their_member(host):
    # `(keyof Globals)[]` lists member names as strings: deleting the field breaks the literal.
    prog = """class Globals {
  guid = 0;
  spy = false;
}
const keys: (keyof Globals)[] = [
  "guid",
  "spy",
];
export { keys };
"""
    st = structure(host, prog)
    assert 5 in descendants(st, 1)
    assert 6 in descendants(st, 2)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tsc") is None, reason="tsc is not installed")
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ts")), ids=lambda p: p.name)
def test_real_files_every_state_is_accepted_by_tsc(path, host):
    """Relative rule: a state passes when tsc reports no error that the original lacks."""
    oracle = oracle_for(host, "typescript")
    if oracle is None:
        pytest.skip("no TypeScript compiler is available")
    code = path.read_text(encoding="utf-8")
    base = {d.code for d in host.analyze("typescript", oracle, code)}
    sampler = make_sampler(host, "typescript", "treesitter")
    ((seq, _),) = sample_many(sampler, code, seed=0, index=0)
    assert resolve_edit_path(seq.edit_path) == code
    assert len(seq.edit_path) > 1, f"{path.name} became a single edit"
    for state in state_texts(seq):
        extra = {d.message for d in host.analyze("typescript", oracle, state) if d.code not in base}
        assert not extra, f"{path.name}: tsc rejects an intermediate state:\n{state}\n{extra}"


def test_a_var_in_a_block_is_visible_in_its_whole_function(host):
    # From wry-context's src/index.ts (MIT): `var result` is declared in a `try` block and
    # read after it; once the declaration is deleted, the read has no definition.
    source = (
        "function f(g: () => any) {\n"
        "  try {\n"
        "    var result: any = g();\n"
        "  } catch (e) {\n"
        "    return 1;\n"
        "  }\n"
        "  return result.done;\n"
        "}\n"
    )
    assert "undefined:result" not in codes(host, source)
    assert "undefined:result" in codes(host, source.replace("    var result: any = g();\n", ""))
    # `let` stays block-scoped.
    assert "undefined:result" in codes(host, source.replace("var result", "let result"))


def test_a_parameter_type_member_does_not_stand_in_for_the_field(host):
    # From viem's errors/request.ts (MIT): `this.url = url` assigns the class's field, not the
    # member `url` of the parameter's object type; once it is deleted, the field is unassigned.
    source = (
        "export class HttpRequestError {\n"
        "  url: string\n"
        "  constructor({ url }: { url: string }) {\n"
        "    this.url = url\n"
        "  }\n"
        "}\n"
    )
    assert "field-not-initialized:url" not in codes(host, source)
    assert "field-not-initialized:url" in codes(host, source.replace("    this.url = url\n", ""))
    # Nor anywhere else: `this.size` needs a field, not a member of some parameter's type.
    other = "class B {\n  m(o: { size: number }) { return o.size }\n  n() { return this.size }\n}\n"
    # (`o.size` is also a use in the namespace "ns:o", which no namespace of the file defines: the
    # original leaves it unresolved too; the member namespace is the one under test.)

    def member_uses(text: str) -> set[str]:
        return {d.code for d in host.analyze("typescript", "treesitter", text) if d.message.endswith("(member)")}

    assert "undefined:size" in member_uses(other)
    assert "undefined:size" not in member_uses(other.replace("  m(o", "  size = 1\n  m(o"))


def test_a_null_initialized_local_needs_a_non_null_assignment(host):
    # From prosemirror-model's src/from_dom.ts (MIT): `prevItem` starts as `null` and takes its
    # type from `prevItem = child`; without that line it is `never` at `prevItem.appendChild`.
    source = (
        "function normalizeList(dom: Node) {\n"
        "  for (let child = dom.firstChild, prevItem = null; child; child = child.nextSibling) {\n"
        "    if (prevItem) {\n"
        "      prevItem.appendChild(child)\n"
        "    } else if (child.nodeName == 'LI') {\n"
        "      prevItem = child\n"
        "    } else {\n"
        "      prevItem = null\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert "null-variable-unassigned:prevItem" not in codes(host, source)
    assert "null-variable-unassigned:prevItem" in codes(host, source.replace("      prevItem = child\n", ""))


def test_empty_switch_arms_fall_through_and_the_default_stays(host):
    # From signalr's src/FetchHttpClient.ts (MIT): the arms "blob", "document" fall through to
    # the one that throws; `content` is assigned on every path. Read as assigning nothing, they
    # made the original's `return content` a false error, which hid the real ones of its states.
    source = (
        "function f(t?: 'a' | 'b' | 'c' | 'd'): Promise<string> {\n"
        "    let content: Promise<string>;\n"
        "    switch (t) {\n"
        "        case 'a':\n"
        "            content = g();\n"
        "            break;\n"
        "        case 'b':\n"
        "        case 'c':\n"
        "            throw new Error('no');\n"
        "        default:\n"
        "            content = g();\n"
        "            break;\n"
        "    }\n"
        "    return content;\n"
        "}\n"
        "function g(): Promise<string> { return Promise.resolve(''); }\n"
    )
    assert "used-before-assigned:content" not in codes(host, source)
    assert "used-before-assigned:content" in codes(host, source.replace("            content = g();\n", "", 1))
    st = structure(host, source)
    assert 9 not in st.candidates  # `default:` goes only with its switch


def test_field_assigned_in_a_comma_expression_of_the_constructor(host):
    # From prosemirror-model's src/schema.ts (MIT): `this.nodes = ...` is the last item of a
    # comma expression that begins two lines above it; without it the field is unassigned
    # ("Property 'nodes' has no initializer and is not definitely assigned").
    source = (
        "class Schema {\n"
        "  spec: {nodes: string[]}\n"
        "  nodes: {[name: string]: number}\n"
        "  constructor(spec: {nodes: string[]}) {\n"
        "    let instanceSpec = this.spec = {} as any\n"
        "    instanceSpec.nodes = spec.nodes.slice(),\n"
        "\n"
        "    this.nodes = Object.create(null)\n"
        "    for (let prop in this.nodes) console.log(prop)\n"
        "  }\n"
        "}\n"
    )
    assert "field-not-initialized:nodes" not in codes(host, source)
    no_comma = source.replace("    instanceSpec.nodes = spec.nodes.slice(),\n\n    this.nodes = Object.create(null)\n", "")
    assert "field-not-initialized:nodes" in codes(host, no_comma)


def test_a_push_does_not_assign_a_local_declared_without_a_value(host):
    # From prosemirror-model's src/schema.ts (MIT): `copy` is assigned only by `copy =
    # marks.slice(0, i)`; without it, `copy.push` reads a `never` ("Property 'push' does not
    # exist on type 'never'"). An empty array (`let out = []`) is still typed by a push.
    source = (
        "function allowedMarks(marks: readonly number[]): readonly number[] {\n"
        "  let copy\n"
        "  for (let i = 0; i < marks.length; i++) {\n"
        "    if (marks[i] < 0) {\n"
        "      if (!copy) copy = marks.slice(0, i)\n"
        "    } else if (copy) {\n"
        "      copy.push(marks[i])\n"
        "    }\n"
        "  }\n"
        "  let out = []\n"
        "  out.push(1)\n"
        "  return !copy ? marks : copy.length ? copy : out\n"
        "}\n"
    )
    assert not {c for c in codes(host, source) if c.startswith("unassigned-variable")}
    assert "unassigned-variable:copy" in codes(host, source.replace("      if (!copy) copy = marks.slice(0, i)\n", ""))
    assert "unassigned-variable:out" in codes(host, source.replace("  out.push(1)\n", ""))


def test_an_unknown_result_still_needs_a_return(host):
    # From msgpack's src/decodeAsync.ts (ISC): `Promise<unknown>` of an async function may fall
    # through, but tsc wants a return in it ("A function whose declared type is neither
    # 'undefined', 'void', nor 'any' must return a value"); `Promise<void>` does not.
    source = (
        "export async function decodeAsync(s: string): Promise<unknown> {\n"
        "  const decoder = JSON\n"
        "  return decoder.parse(s)\n"
        "}\n"
        "export function decode(s: string): unknown {\n"
        "  return JSON.parse(s)\n"
        "}\n"
        "export async function run(): Promise<void> {\n"
        "}\n"
    )
    assert "no-return" not in codes(host, source)
    assert "no-return" in codes(host, source.replace("  return decoder.parse(s)\n", ""))
    assert "no-return" in codes(host, source.replace("  return JSON.parse(s)\n", ""))


def test_a_namespace_member_is_not_stood_in_for_by_a_class_method(host):
    # From jupyterlab's apputils src/windowresolver.ts (BSD-3-Clause): `Private.resolve(...)`
    # needs the namespace's own `resolve`; the class's method `resolve` does not stand in for it
    # ("Property 'resolve' does not exist on type 'typeof Private'").
    source = (
        "export class WindowResolver {\n"
        "  resolve(candidate: string): Promise<void> {\n"
        "    return Private.resolve(candidate).then(name => { this._name = name; });\n"
        "  }\n"
        "  private _name = '';\n"
        "}\n"
        "namespace Private {\n"
        "  export function resolve(candidate: string): Promise<string> {\n"
        "    return Promise.resolve(candidate);\n"
        "  }\n"
        "}\n"
    )

    def diags(text: str) -> set[tuple[str, str]]:
        return {(d.code, d.message) for d in host.analyze("typescript", "treesitter", text)}

    no_function = source.replace(source[source.index("  export function"):source.index("}\n", source.index("  export function")) + 2], "")
    new = diags(no_function) - diags(source)
    assert any(code == "undefined:resolve" and "ns:Private" in message for code, message in new)


def test_an_inferred_result_whose_end_was_unreachable_must_stay_so(host):
    # From tanstack-form-core's src/FieldApi.ts (MIT) and mobx's src/core/globalstate.ts (MIT):
    # every arm of the last `switch` (`if`/`else if`/`else`) returns, so the inferred result
    # has no `undefined`; once an arm falls through it does ("A computed property name must be
    # of type 'string', 'number', 'symbol', or 'any'", "Type 'MobXGlobals | undefined' is not
    # assignable to type 'MobXGlobals'"). A function whose end the original reaches is in the
    # sampler's baseline.
    switch = (
        "function getErrorMapKey(cause: string) {\n"
        "  switch (cause) {\n"
        "    case 'submit':\n"
        "      return 'onSubmit'\n"
        "    case 'change':\n"
        "    default:\n"
        "      return 'onChange'\n"
        "  }\n"
        "}\n"
    )
    chain = (
        "export const state: number = (function () {\n"
        "  if (Math.random() > 0.5) {\n"
        "    return 1\n"
        "  } else if (Math.random() > 0.2) {\n"
        "    console.log(2)\n"
        "    return 2\n"
        "  } else {\n"
        "    return 3\n"
        "  }\n"
        "})()\n"
    )
    code = "inferred-result-falls-through"
    assert code not in codes(host, switch)
    assert code in codes(host, switch.replace("      return 'onChange'\n", ""))
    assert code not in codes(host, chain)
    assert code in codes(host, chain.replace("    return 2\n", ""))
    falls = "export function f(n: number) {\n  if (n) {\n    return\n  }\n  console.log(n)\n}\n"
    baseline = make_sampler(host, "typescript", "treesitter").prepare(falls).baseline
    assert any(key[0] == code for key in baseline)


def test_an_if_nested_in_a_constructor_arm_keeps_its_field_assignments(host):
    # From grpc-js's src/resolver-dns.ts (Apache-2.0): the `else` arm of the constructor's `if`
    # holds another `if`/`else`, each arm assigning `this.ipResult`; one arm's assignment (or
    # the inner `if`) alone is no deletion ("Property 'ipResult' has no initializer and is not
    # definitely assigned in the constructor").
    source = (
        "class DnsResolver {\n"
        "  private readonly ipResult: string[] | null;\n"
        "  constructor(host: string | null) {\n"
        "    if (host === null) {\n"
        "      this.ipResult = null;\n"
        "    } else {\n"
        "      if (host.length > 4) {\n"
        "        this.ipResult = [host];\n"
        "      } else {\n"
        "        this.ipResult = null;\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    st = structure(host, source)
    assert 3 in st.candidates  # the outer `if` goes as a whole
    assert not {6, 7, 9} & set(st.candidates)


def test_a_ts_expect_error_comment_goes_with_the_line_under_it(host):
    # A `// @ts-expect-error` directive left without the statement under it covers the next
    # one, which has no error: "Unused '@ts-expect-error' directive". Comments are otherwise
    # never sampled and removed last, so the directive is that statement's.
    source = (
        "export function f(xs: number[]): string {\n"
        "  let acc = 0\n"
        "  for (const x of xs) {\n"
        "    // @ts-expect-error\n"
        '    acc = "s" + x\n'
        "    console.log(x)\n"
        "  }\n"
        "  return String(acc)\n"
        "}\n"
    )
    st = structure(host, source)
    assert 3 in st.children[4]
    assert 3 not in st.children[5] and 3 not in st.candidates
    # a plain comment is not attached
    plain = structure(host, source.replace("@ts-expect-error", "see above"))
    assert 3 not in plain.children[4]


def test_case_arms_go_with_a_switch_whose_default_checks_exhaustiveness(host):
    # `default: { const check: never = kind }` (or `assertNever(kind)`) compiles only while
    # every member of the union has its arm: "Type '"b"' is not assignable to type 'never'".
    source = (
        "type Kind = 'a' | 'b'\n"
        "export function k(kind: Kind): number {\n"
        "  switch (kind) {\n"
        "    case 'a':\n"
        "      return 1\n"
        "    case 'b':\n"
        "      return 2\n"
        "    default: {\n"
        "      const check: never = kind\n"
        "      return check\n"
        "    }\n"
        "  }\n"
        "  return 0\n"
        "}\n"
    )
    st = structure(host, source)
    assert not {3, 5} & set(st.candidates)
    assert {3, 5} <= descendants(st, 2)
    assertion = structure(host, source.replace("      const check: never = kind\n      return check\n", "      return assertNever(kind)\n"))
    assert not {3, 5} & set(assertion.candidates)
    plain = structure(host, source.replace("      const check: never = kind\n      return check\n", "      return 0\n"))
    assert {3, 5} <= set(plain.candidates)


def test_a_global_augmentation_needs_an_import_or_export(host):
    # From mqtt's src/lib/connect/wx.ts (MIT): once the file's imports and exports are gone it
    # is a script, where `declare global` is an error ("Augmentations for the global scope can
    # only be directly nested in external modules or ambient module declarations").
    source = (
        "import { Buffer } from 'buffer'\n"
        "declare global {\n"
        "  const wx: { connectSocket: (url: string) => Buffer }\n"
        "}\n"
        "export function open(url: string) {\n"
        "  return wx.connectSocket(url)\n"
        "}\n"
    )
    code = "global-augmentation-outside-module:global"
    assert code not in codes(host, source)
    assert code not in codes(host, source.replace("import { Buffer } from 'buffer'\n", "").replace("Buffer", "number"))
    script = "declare global {\n  const wx: number\n}\nconsole.log(wx)\n"
    assert code in codes(host, script)


def test_an_override_goes_with_the_base_member_of_its_name(host):
    # `override foo()` needs a `foo` in the base class: "This member cannot have an 'override'
    # modifier because it is not declared in the base class 'A'".
    source = (
        "class A {\n"
        "  foo(): number {\n"
        "    return 1\n"
        "  }\n"
        "  bar = 2\n"
        "}\n"
        "export class B extends A {\n"
        "  override foo(): number {\n"
        "    return 2\n"
        "  }\n"
        "  override bar = 3\n"
        "  baz = 4\n"
        "}\n"
    )
    st = structure(host, source)
    assert 7 in descendants(st, 1)
    assert 10 in descendants(st, 4)
    assert 1 not in descendants(st, 7) and 11 not in descendants(st, 4)
    assert 7 in st.candidates  # the override itself may go alone


def test_the_body_of_a_feature_test_goes_with_it(host):
    # From mobx's src/types/legacyobservablearray.ts (MIT) and amplify-core's
    # src/Logger/ConsoleLogger.ts (Apache-2.0): `if (Object.setPrototypeOf) { ... }` tests a
    # library function; without the body's use of it "This condition will always return true
    # since this function is always defined".
    source = (
        "export function make(ctor: Function, proto: object, type: string): void {\n"
        "  if (Object.setPrototypeOf) {\n"
        "    Object.setPrototypeOf(ctor.prototype, proto)\n"
        "    console.log(1)\n"
        "  } else {\n"
        "    console.log(2)\n"
        "  }\n"
        "  let log = console.log.bind(console)\n"
        "  if (type === 'error' && console.error) {\n"
        "    log = console.error.bind(console)\n"
        "  }\n"
        "  log(type)\n"
        "}\n"
    )
    st = structure(host, source)
    assert not {2, 3, 9} & set(st.candidates)
    assert {1, 5, 8} <= set(st.candidates)


def test_a_narrowing_test_under_and_keeps_its_body(host):
    # From grpc-js's src/resolver-dns.ts (Apache-2.0): `this.pendingTxtPromise === null` is
    # one operand of `&&`; without the assignment in the body, `pendingTxtPromise` is `null`
    # at `.then(...)` ("Object is possibly 'null'", "Parameter 'record' implicitly has an
    # 'any' type").
    source = (
        "export class R {\n"
        "  private pending: Promise<string> | null = null\n"
        "  private enabled = true\n"
        "  start(host: string): void {\n"
        "    if (this.enabled && this.pending === null) {\n"
        "      this.pending = Promise.resolve(host)\n"
        "      this.pending.then(\n"
        "        record => {\n"
        "          console.log(record)\n"
        "        }\n"
        "      )\n"
        "    }\n"
        "    console.log(host)\n"
        "  }\n"
        "}\n"
    )
    st = structure(host, source)
    assert not {5, 6} & set(st.candidates)
    assert 12 in descendants(st, 4)
    plain = structure(host, source.replace("this.pending === null", "this.pending.length"))
    assert {5, 6} <= set(plain.candidates)


def test_handle_event_goes_with_its_class(host):
    # From lumino's widgets src/menubar.ts (BSD-3-Clause): `document.addEventListener('mousedown',
    # this, true)` passes the instance as an EventListenerObject; without `handleEvent`, "No
    # overload matches this call".
    source = (
        "export class MenuBar {\n"
        "  handleEvent(event: Event): void {\n"
        "    console.log(event.type)\n"
        "  }\n"
        "  attach(): void {\n"
        "    document.addEventListener('mousedown', this, true)\n"
        "  }\n"
        "}\n"
    )
    st = structure(host, source)
    assert 1 not in st.candidates and 4 in st.candidates


def test_a_throw_inside_an_if_is_no_return(host):
    # From msgpack's src/Decoder.ts (ISC): without its `return`, `decodeExtension(): unknown`
    # still throws in an `if`, but its end is reachable ("A function whose declared type is
    # neither 'undefined', 'void', nor 'any' must return a value").
    source = (
        "export class Decoder {\n"
        "  max = 10\n"
        "  decodeExtension(size: number): unknown {\n"
        "    if (size > this.max) {\n"
        "      throw new Error('too long')\n"
        "    }\n"
        "    return size\n"
        "  }\n"
        "}\n"
    )
    assert "no-return" not in codes(host, source)
    assert "no-return" in codes(host, source.replace("    return size\n", ""))


def test_a_switch_whose_last_arm_ends_in_an_if_terminates(host):
    # From msgpack's src/Decoder.ts (ISC): the default arm ends in an `if`/`else` whose arms
    # return and throw, so the function ends there; once the `throw` is gone it falls through
    # ("Function lacks ending return statement and return type does not include 'undefined'").
    source = (
        "export function readArraySize(headByte: number): number {\n"
        "  switch (headByte) {\n"
        "    case 0xdc:\n"
        "      return 16\n"
        "    default: {\n"
        "      if (headByte < 0xa0) {\n"
        "        return headByte - 0x90\n"
        "      } else {\n"
        "        throw new Error('unrecognized')\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert "missing-return" not in codes(host, source)
    assert "missing-return" in codes(host, source.replace("        throw new Error('unrecognized')\n", ""))


def test_a_string_assigned_to_a_local_goes_with_the_comparisons_of_it(host):
    # From tanstack-table-core's src/features/Sorting.ts (MIT): once `sortAction = 'remove'` is
    # gone, flow narrowing leaves 'remove' out of the local's type at the later comparison
    # ("This comparison appears to be unintentional because the types '"toggle"' and '"remove"'
    # have no overlap").
    source = (
        "export function act(multi: boolean, existing: boolean): number {\n"
        "  let sortAction: 'add' | 'remove' | 'toggle'\n"
        "  if (multi) {\n"
        "    sortAction = 'add'\n"
        "  } else {\n"
        "    sortAction = 'toggle'\n"
        "  }\n"
        "  if (sortAction === 'toggle') {\n"
        "    if (existing) {\n"
        "      sortAction = 'remove'\n"
        "    }\n"
        "  }\n"
        "  if (sortAction === 'add') {\n"
        "    return 1\n"
        "  } else if (sortAction === 'remove') {\n"
        "    return 2\n"
        "  }\n"
        "  return 0\n"
        "}\n"
    )
    st = structure(host, source)
    assert 12 in descendants(st, 9)
    other = structure(host, source.replace("sortAction === 'remove'", "existing"))
    assert 12 not in descendants(other, 9)


def test_a_static_field_does_not_stand_in_for_the_instance_field_of_its_name(host):
    # From rxjs's src/internal/Scheduler.ts (Apache-2.0): `this.now = now` assigns the instance
    # field `now`, not the static `Scheduler.now`; without it "Property 'now' has no
    # initializer and is not definitely assigned in the constructor".
    source = (
        "export class Scheduler {\n"
        "  public static now: () => number = Date.now;\n"
        "  constructor(now: () => number = Scheduler.now) {\n"
        "    this.now = now;\n"
        "  }\n"
        "  public now: () => number;\n"
        "}\n"
    )
    assert "field-not-initialized:now" not in codes(host, source)
    assert "field-not-initialized:now" in codes(host, source.replace("    this.now = now;\n", ""))


def test_a_field_assigned_in_a_chained_assignment_of_the_constructor(host):
    # From prosemirror-model's src/schema.ts (MIT): `let instanceSpec = this.spec = {} as any`
    # assigns the field `spec`; without that line "Property 'spec' has no initializer and is not
    # definitely assigned in the constructor". So does `this.a = this.b = null` for `b`.
    source = (
        "export class Schema {\n"
        "  spec: { nodes: string[] }\n"
        "  a: number | null\n"
        "  b: number | null\n"
        "  constructor(spec: { nodes: string[] }) {\n"
        "    let instanceSpec = this.spec = {} as any\n"
        "    instanceSpec.nodes = spec.nodes\n"
        "    this.a = this.b = null\n"
        "  }\n"
        "}\n"
    )
    found = codes(host, source)
    assert not {"field-not-initialized:spec", "field-not-initialized:a", "field-not-initialized:b"} & found
    assert "field-not-initialized:spec" in codes(host, source.replace("    let instanceSpec = this.spec = {} as any\n    instanceSpec.nodes = spec.nodes\n", ""))
    assert "field-not-initialized:b" in codes(host, source.replace("    this.a = this.b = null\n", ""))


def test_a_script_cannot_redeclare_a_library_global(host):
    # Once its last import and export are gone a file is a script, whose top-level names share
    # the global scope with lib.dom: "Cannot redeclare block-scoped variable 'name'",
    # "Duplicate identifier 'Node'". A function merges with a library function (`close`).
    source = (
        "import { make } from './make'\n"
        "const name = make('x')\n"
        "class Node {\n"
        "  a = 1\n"
        "}\n"
        "function close(n: number) {\n"
        "  return n\n"
        "}\n"
        "const total = 1\n"
        "console.log(name, new Node(), close(total))\n"
    )
    assert not {c for c in codes(host, source) if c.startswith("script-global-redeclared")}
    script = {c for c in codes(host, source.replace("import { make } from './make'\n", "").replace("make('x')", "'x'"))
              if c.startswith("script-global-redeclared")}
    assert script == {"script-global-redeclared:name", "script-global-redeclared:Node"}
    assert "script-global-redeclared:close" in codes(host, "let close = 1\nconsole.log(close)\n")


def test_an_assignment_after_a_null_guard_takes_the_statements_after_it(host):
    # From grpc-js's src/resolver-dns.ts (Apache-2.0): after `if (this.pending !== null) {
    # return; }` the field is `null`; `this.pending = ...` is what `.then(...)` below reads
    # ("Object is possibly 'null'", "Parameter 'list' implicitly has an 'any' type").
    source = (
        "export class R {\n"
        "  private pending: Promise<string[]> | null = null\n"
        "  resolve(host: string): void {\n"
        "    if (this.pending !== null) {\n"
        "      return\n"
        "    }\n"
        "    console.log(host)\n"
        "    this.pending = Promise.resolve([host])\n"
        "    this.pending.then(\n"
        "      list => {\n"
        "        console.log(list)\n"
        "      }\n"
        "    )\n"
        "  }\n"
        "}\n"
    )
    st = structure(host, source)
    assert 8 in descendants(st, 7)
    unguarded = structure(host, source.replace("this.pending !== null", "host.length > 9"))
    assert 8 not in descendants(unguarded, 7)


def test_a_qualified_type_needs_the_namespace_s_own_export(host):
    # From jupyterlab's services src/event/index.ts (BSD-3-Clause): `Event.Stream` names the
    # namespace's own `export type Stream`; an imported `Stream` does not stand in for it
    # ("Namespace 'Event' has no exported member 'Stream'").
    source = (
        "import { Stream } from '@lumino/signaling'\n"
        "export namespace Event {\n"
        "  export type Stream = number\n"
        "  export interface IManager {\n"
        "    readonly stream: Event.Stream\n"
        "  }\n"
        "}\n"
        "export const s = new Stream()\n"
    )

    def diags(text: str) -> set[tuple[str, str]]:
        return {(d.code, d.message) for d in host.analyze("typescript", "treesitter", text)}

    new = diags(source.replace("  export type Stream = number\n", "")) - diags(source)
    assert any(code == "undefined:Stream" and "ns:Event" in message for code, message in new)


def test_a_switch_with_a_default_arm_at_the_end_of_its_block_keeps_free_arms(host):
    # The `default` test of the exhaustive-switch pin reached the regex as `bdefaults*:` (a
    # basic TOML string needs `\\\\b` for `\b`), so it never matched: every switch that ended
    # its block held its case arms, a default arm or not.
    prog = """type K = "a" | "b" | "c";
export function code(k: K): number {
  switch (k) {
    case "a":
      return 1;
    case "b":
      return 2;
    default:
      return 0;
  }
}
export function name(k: K): string {
  switch (k) {
    case "a":
      return "a";
    case "b":
      return "b";
    case "c":
      return "c";
  }
}
"""
    st = structure(host, prog)
    assert {3, 5} <= set(st.candidates)  # a default arm covers what a case arm no longer does
    assert not {14, 16, 18} & set(st.candidates)  # the arms of an exhaustive switch go with it


def test_a_namespace_merged_with_a_function_needs_its_own_export(host):
    # From loopback-context's src/binding-decorator.ts (MIT): `namespace injectable` merges with
    # `function injectable`; `bind.provider = injectable.provider` needs the namespace's own
    # `provider` ("Property 'provider' does not exist on type '(...specs) => ClassDecorator'"),
    # a lowercase qualifier the capitalized-namespace rule did not cover.
    source = (
        "export function injectable(n: number): number {\n"
        "  return n;\n"
        "}\n"
        "export namespace injectable {\n"
        "  export function provider(n: number): number {\n"
        "    return n + 1;\n"
        "  }\n"
        "}\n"
        "export const p = injectable.provider;\n"
    )

    def diags(text: str) -> set[tuple[str, str]]:
        return {(d.code, d.message) for d in host.analyze("typescript", "treesitter", text)}

    no_provider = source.replace("  export function provider(n: number): number {\n    return n + 1;\n  }\n", "")
    new = diags(no_provider) - diags(source)
    assert any(code == "undefined:provider" and "ns:injectable" in message for code, message in new)


def test_a_property_assigned_to_a_function_takes_the_function_with_it(host):
    # From loopback-repository's src/relations/has-many/has-many.repository-factory.ts (MIT):
    # `result.inclusionResolver = ...` completes what the annotation `HasManyRepositoryFactory`
    # requires of the function ("Property 'inclusionResolver' is missing in type '(fkValue:
    # ForeignKeyType) => any'"); `plain.label` is read through the function declaration.
    prog = """interface Factory {
  (n: number): number;
  extra: string;
}
export function make(): Factory {
  const result: Factory = function (n: number) {
    return n + 1;
  };
  result.extra = "x";
  return result;
}
export function plain() {
  return 1;
}
plain.label = "p";
"""
    st = structure(host, prog)
    assert 5 in descendants(st, 8)  # `result.extra = ...` goes with `const result`
    assert 11 in descendants(st, 14)  # `plain.label = ...` goes with `function plain`
    assert 8 not in descendants(st, 5)  # ... not the other way round


def test_a_relative_module_augmentation_needs_an_import_or_export(host):
    # From metaplex-foundation-js's src/plugins/candyMachineV2Module/plugin.ts (MIT): once the
    # imports are gone the file is a script, where `declare module '../../Metaplex'` is an
    # ambient module declaration ("Ambient module declaration cannot specify relative module
    # name"); a module name that is not relative declares a module there.
    source = (
        "import { Plugin } from '../../types'\n"
        "declare module '../../Metaplex' {\n"
        "  interface Metaplex {\n"
        "    plugin(): Plugin\n"
        "  }\n"
        "}\n"
    )
    code = "relative-module-augmentation-outside-module:declare"
    assert code not in codes(host, source)
    script = source.replace("import { Plugin } from '../../types'\n", "").replace("Plugin", "number")
    assert code in codes(host, script)
    assert code not in codes(host, script.replace("'../../Metaplex'", "'metaplex'"))


@pytest.mark.skipif(shutil.which("tsc") is None, reason="tsc is not installed")
def test_a_use_goes_with_the_member_its_error_suggests(host):
    # From feathers's src/hooks.ts and authentication's src/jwt.ts (MIT): the base class is not
    # found, so `this.authentication` is already an error, one that names the class's own
    # `authenticate` ("Did you mean 'authenticate'?"); without that method tsc's error reads
    # otherwise (TS2339), an error the original lacks.
    prog = """import { Base } from './missing-base'
export class Strategy extends Base {
  get configuration() {
    return this.authentication.configuration
  }
  private limit = 1
  run() {
    return this.limits + this.limit
  }
  authenticate() {
    return 1
  }
}
"""
    st = structure(host, prog)
    assert 2 in descendants(st, 9)  # the getter goes with the method its error suggests
    assert 6 in descendants(st, 5)  # ... and `run` with the field
    assert 9 not in descendants(st, 2)


def test_a_private_member_of_a_class_that_implements_an_interface_is_an_item_of_its_own(host):
    # From loopback-rest's src/router/router-base.ts (MIT): every member of a class that
    # implements an interface went with the class, so `find`'s `inferred-result` error was
    # charged to the class, where `add() {}` (no return in the original) already had one: the
    # state that emptied `private findRoute` passed, and `if (route || ...)` then tests `void`.
    prog = """interface Router {
  add(n: number): void;
  find(n: number): number;
}
export class Table implements Router {
  add(n: number) {
  }
  find(n: number) {
    return this.findRoute(n) + 1;
  }
  private findRoute(n: number) {
    if (n > 0) return n;
    else return -n;
  }
}
"""
    st = structure(host, prog)
    assert 10 in st.candidates  # the private method is an item of its own
    assert not {5, 7} & set(st.candidates)  # the interface's members go with the class
    sampler = make_sampler(host, "typescript", "treesitter")
    program = sampler.prepare(prog)
    emptied = prog.replace("    if (n > 0) return n;\n    else return -n;\n", "")
    new = {d.code for d in host.analyze("typescript", "treesitter", emptied) if d.line == 11}
    assert "inferred-result" in new
    assert ("inferred-result", 10, "a function whose result type is inferred needs a return statement") not in program.baseline
    # A private static field still goes with its class (read as `Table.count`).
    static = prog.replace("  private findRoute", "  private static count = 0;\n  private findRoute")
    assert 10 not in structure(host, static).candidates


def test_fields_assigned_in_the_later_arms_of_a_constructor_if_chain(host):
    # From noble-hashes's src/blake3.ts (MIT): the first arm throws, so the analyzer cannot see
    # `IV` assigned on every path (the original's error is in the baseline); the assignments of
    # the third `if` of the chain go only with it ("Property 'IV' has no initializer").
    prog = """export class Hash {
  private iv: number[];
  constructor(key?: number[], context?: number[]) {
    if (key !== undefined && context !== undefined)
      throw new Error('only one');
    else if (key !== undefined) {
      this.iv = key.slice();
    } else if (context !== undefined) {
      this.iv = context.slice();
    } else {
      this.iv = [];
    }
  }
}
"""
    st = structure(host, prog)
    assert not {8, 10} & set(st.candidates)  # the third `if`'s assignments go with the chain
    # ... and an `if` whose first arm throws assigns what its second arm does: the original has
    # no error, so a state without the chain is one.
    assert "field-not-initialized:iv" not in codes(host, prog)
    chainless = prog[: prog.index("    if (key")] + prog[prog.index("    }\n  }\n}") + 6 :]
    assert "field-not-initialized:iv" in codes(host, chainless)


def test_a_destructuring_assignment_writes_the_names_of_its_pattern(host):
    # From @math.gl/core's src/classes/quaternion.ts (MIT): `slerp` declares `start`, `target`
    # and `ratio` without values and assigns them in every arm of a switch, in one arm through
    # a destructuring assignment with a default. That assignment writes the declared names
    # (the default's name too: "No value exists in scope for the shorthand property
    # 'start'" once `let start` is gone), so each other arm's own assignment is needed after
    # the switch ("Variable 'ratio' is used before being assigned").
    prog = """declare const ZERO: number[];
export function slerp(kind: number, arg0: { start?: number[]; ratio: number }, a: number): number {
  let start: number[];
  let ratio: number;
  switch (kind) {
    case 1:
      ({ start = ZERO, ratio } = arg0);
      break;
    default:
      start = ZERO;
      ratio = a;
  }
  return start.length + ratio;
}
"""
    before = codes(host, prog)
    assert not {c for c in before if c.startswith("used-before-assigned")}
    assert "used-before-assigned:ratio" in codes(host, prog.replace("      ratio = a;\n", ""))
    assert "undefined:start" in codes(host, prog.replace("  let start: number[];\n", ""))
    # an array pattern with a default writes too
    arrays = prog.replace("({ start = ZERO, ratio } = arg0)", "[start = ZERO, ratio] = [ZERO, 1]")
    assert not {c for c in codes(host, arrays) if c.startswith("used-before-assigned")}


def test_export_default_of_a_type_uses_the_type(host):
    # From algosdk's src/types/transactions/builder.ts (MIT): `export default
    # ConstructTransaction;` exports a type alias ("Cannot find name 'ConstructTransaction'"
    # without it); a value of the name is used the same way.
    prog = """export type Builder<A> = {
  build(a: A): string;
};
export default Builder;
"""
    assert "undefined:Builder" not in codes(host, prog)
    assert "undefined:Builder" in codes(host, prog.replace("export type Builder<A> = {\n  build(a: A): string;\n};\n", ""))
    assert "undefined:v" not in codes(host, "const v = 1;\nexport default v;\n")


def test_a_call_of_the_tested_function_goes_only_with_its_if(host):
    # From deck.gl's src/controllers/controller.ts (MIT): `if (this.onViewStateChange) {
    # this.onViewStateChange({...}); }`, nested in another block, for a field of a function
    # type: without the call tsc reports "This condition will always return true since this
    # function is always defined". Other statements of the body stay items of their own.
    prog = """export class C {
  protected onChange: (p: number) => void;
  private other = 1;
  constructor(f: (p: number) => void) {
    this.onChange = f;
  }
  run(x: number, cb: (n: number) => void): void {
    if (x > 0) {
      if (this.onChange) {
        this.onChange(x);
        this.other = x;
      }
      if (cb) {
        const r = cb(x);
      }
      if (this.other) {
        this.other = 2;
      }
    }
  }
}
"""
    st = structure(host, prog)
    assert 9 not in st.candidates and 9 in descendants(st, 8)
    assert 13 not in st.candidates
    assert 10 in st.candidates and 16 in st.candidates


def test_an_assignment_after_a_truthiness_guard_takes_the_later_statements(host):
    # From supabase realtime-js's src/RealtimeClient.ts (MIT): after `if (this.pending) {
    # ...; return; }` the field is `null`; the assignment narrows it to `string` for the
    # statements after it ("Type 'string | null' is not assignable to type 'string'").
    prog = """declare function send(m: { ref: string }): void;
export class C {
  pending: string | null = null;
  make(): string {
    return "r";
  }
  beat(): void {
    if (this.pending) {
      this.pending = null;
      return;
    }
    this.pending = this.make();
    send({ ref: this.pending });
  }
}
"""
    assert 12 in descendants(structure(host, prog), 11)
    unguarded = prog.replace("    if (this.pending) {\n      this.pending = null;\n      return;\n    }\n", "")
    assert 8 not in descendants(structure(host, unguarded), 7)


def test_assignments_in_the_else_arm_of_a_truthiness_test_go_with_it(host):
    # From Telegraf's src/session.ts (MIT): `let cached = cache.get(key); if (cached) { ... }
    # else { ... if (c) { cached = c } else { cached = {...} } }` then `const c = cached;
    # c.ref`: each assignment narrows `cached` for the statements after the `if` ("'c' is
    # possibly 'undefined'" once one is gone).
    prog = """const cache = new Map<string, { n: number }>();
export function get(key: string, make: () => { n: number }): number {
  let cached = cache.get(key);
  if (cached) {
    cached.n++;
  } else {
    const c = cache.get(key);
    if (c) {
      cached = c;
    } else {
      cached = make();
      cache.set(key, cached);
    }
  }
  const d = cached;
  return d.n;
}
export function other(flag: number | undefined, v: number): number {
  let total = 0;
  if (flag) {
    total = flag;
  } else {
    total = v;
    v = 2;
  }
  return total + v;
}
"""
    st = structure(host, prog)
    assert 8 not in st.candidates and 10 not in st.candidates and 7 not in st.candidates
    assert {7, 8, 10, 14, 15} <= descendants(st, 3)
    assert 11 in st.candidates
    # Only the tested name's assignments: the else arm of `if (flag)` assigns other names.
    assert 22 in st.candidates and 23 in st.candidates and 25 not in descendants(st, 19)
