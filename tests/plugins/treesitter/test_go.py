"""Go through the tree-sitter engine: the rules the Go compiler enforces that the grammar does
not (labels, `:=` redeclaration, terminating statements, the package clause), and real code:
programs and library files that the installed Go toolchain ships, whose every intermediate
state `go tool compile` must accept (relatively, for files that do not compile alone)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lintseq_core.edits import resolve_edit_path
from lintseq_core.host import PluginHost
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytest.importorskip("tree_sitter")


def codes(host: PluginHost, source: str) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in host.analyze("go", "treesitter", source)}


def func(body: str, result: str = "int") -> str:
    return f"package p\n\nfunc g() bool {{ return true }}\n\nfunc f() {result} {{\n{body}}}\n"


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ('\tpanic("unreachable")\n', False),
        ("\tfor {\n\t\tif g() {\n\t\t\tbreak\n\t\t}\n\t}\n", True),
        ("\tfor {\n\t\tswitch {\n\t\tcase g():\n\t\t\tbreak\n\t\t}\n\t}\n", False),  # leaves the switch
        ("\tfor {\n\t\tfor {\n\t\t\tbreak\n\t\t}\n\t}\n", False),
        ("L:\n\tfor {\n\t\tfor {\n\t\t\tbreak L\n\t\t}\n\t}\n", True),
        ("\tfor {\n\tL:\n\t\tfor {\n\t\t\tbreak L\n\t\t}\n\t}\n", False),  # the label is inside
        ("\tfor i := 0; ; i++ {\n\t}\n", False),
        ("\tfor g() {\n\t}\n", True),
        ("\tselect {}\n", False),
        ("\tswitch interface{}(1).(type) {\n\tcase int:\n\t\treturn 1\n\tdefault:\n\t\tpanic(2)\n\t}\n", False),
        ("\tswitch {\n\tcase g():\n\t\tfallthrough\n\tdefault:\n\t\treturn 1\n\t}\n", False),
        ("\tswitch {\n\tcase g():\n\t\treturn 1\n\t}\n", True),  # no default
    ],
)
def test_terminating_statements_follow_the_go_spec(host, body, missing):
    got = codes(host, func(body))
    assert ((5, "missing-return") in got) is missing, got


def test_labels_must_be_used_and_do_not_clash_with_functions(host):
    prog = (
        "package main\n\nfunc main() {\nmain:\n\tfor {\n\t\tcontinue main\n\t}\n}\n"
    )
    assert not {c for _, c in codes(host, prog) if not c.startswith("undefined:")}
    unused = prog.replace("\t\tcontinue main\n", "")
    assert (4, "unused-variable:main") in codes(host, unused)


def test_package_clause_uses_no_name(host):
    # Deleting `func main` (or the import `hcl`) must not charge an error to the package
    # clause: it is pinned, and the compiler needs it first in every state.
    prog = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println()\n}\n'
    state = 'package main\n\nimport "fmt"\n\nvar _ = fmt.Sprint\n'
    assert not any(line == 1 for line, _ in codes(host, state))
    assert not any(line == 1 for line, _ in codes(host, prog.replace('import "fmt"\n', "")))


def test_short_variable_redeclaration_assigns(host):
    prog = (
        "package p\n\nfunc h() (int, error) { return 0, nil }\n\n"
        "func f(err error) error {\n"
        "\ta, err := h()\n"  # 6: assigns the parameter
        "\tb, err := h()\n"  # 7: assigns it again
        "\t_, _ = a, b\n"
        "\treturn err\n"
        "}\n"
    )
    assert not {c for _, c in codes(host, prog) if c.startswith("unused")}
    # Without the `return err`, `err` is a parameter: never "declared and not used".
    assert not {c for _, c in codes(host, prog.replace("\treturn err\n", "\treturn nil\n")) if c.startswith("unused")}
    inner = prog.replace("\ta, err := h()\n", "\t{\n\ta, err := h()\n\t_ = a\n\t}\n")
    assert (7, "unused-variable:err") in codes(host, inner)  # a new `err` in the inner block


def test_qualified_type_is_not_a_local_type(host):
    prog = "package p\n\nimport \"bytes\"\n\ntype Buffer int\n\nvar b bytes.Buffer\n\nvar c Buffer\n"
    # `bytes.Buffer` never resolves to this file's `Buffer` (it is another package's type, an
    # error of the original that every state shares); `var c Buffer` does.
    got = codes(host, prog)
    assert (7, "undefined:Buffer") in got and (9, "undefined:Buffer") not in got
    assert (8, "undefined:Buffer") in codes(host, prog.replace("type Buffer int\n", ""))


# ---- real code: what the installed Go toolchain ships ----------------------------------------
def _goroot() -> Path | None:
    go = shutil.which("go")
    if go is None:
        return None
    import subprocess

    root = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=False).stdout.strip()
    return Path(root) if root and Path(root, "test").is_dir() else None


# Whole programs of the Go test suite (`// run`, `func main`, several functions and types) and
# standard-library files (one file of a package: judged relatively).
PROGRAMS = ["test/ken/chan.go", "test/chan/sieve1.go", "test/closure.go", "test/typeswitch.go",
            "test/chan/select3.go"]
LIBRARY = ["src/container/ring/ring.go", "src/strings/replace.go", "src/text/tabwriter/tabwriter.go"]


@pytest.mark.slow
@pytest.mark.parametrize("rel", PROGRAMS + LIBRARY)
def test_real_go_code_states_compile(host, rel, monkeypatch):
    root = _goroot()
    if root is None or not (root / rel).is_file():
        pytest.skip("the Go toolchain (with its test/ and src/ trees) is not installed")
    monkeypatch.setenv("LINTSEQ_GO_ARGS", os.environ.get("LINTSEQ_GO_ARGS", "-e"))
    code = (root / rel).read_text(encoding="utf-8")
    base = {d.code for d in host.analyze("go", "go", code)}
    if rel in PROGRAMS:
        assert not base, f"{rel} does not compile alone: {base}"
    sampler = make_sampler(host, "go", "treesitter")
    ((seq, _),) = sample_many(sampler, code, seed=3, index=0)
    assert resolve_edit_path(seq.edit_path) == code
    assert len(seq.edit_path) > 1
    for state in state_texts(seq):
        extra = {d.message for d in host.analyze("go", "go", state) if d.code not in base}
        assert not extra, f"{rel}: go rejects an intermediate state:\n{state}\n{extra}"


def test_unknown_probe_and_nodes_keys_are_errors():
    from importlib import resources

    from lintseq_treesitter.spec import load_spec

    from lintseq_core.errors import ConfigError

    queries = resources.files("lintseq_treesitter") / "queries"
    base = {"name": "go", "grammar": {"module": "tree_sitter_go"}}
    with pytest.raises(ConfigError, match="rebinding_use"):
        load_spec({**base, "nodes": {"rebinding_use": True}}, queries, "x.toml")
    probe = {"command": ["go"], "filename": "a.go"}
    with pytest.raises(ConfigError, match="patern"):
        load_spec({**base, "probe": {**probe, "rules": [{"query": "", "patern": []}]}}, queries, "x.toml")
    with pytest.raises(ConfigError, match="named groups"):
        load_spec({**base, "probe": {**probe, "rules": [{"query": "", "patterns": ["x"]}]}}, queries, "x.toml")


def _children(host: PluginHost, source: str) -> dict[int, set[int]]:
    """1-based line -> 1-based lines deleted with it."""
    structure = host.structure("go", "treesitter", source.split("\n"), False)
    return {i + 1: {c + 1 for c in ch} for i, ch in enumerate(structure.children) if ch}


def test_uses_that_would_rebind_go_with_their_definition(host):
    prog = (
        "package p\n\n"
        "func diff(a, b int) int { return a - b }\n\n"
        "type page struct {\n\tflags uint16\n}\n\n"
        "type meta struct {\n\tflags uint32\n}\n\n"
        "func f(p *page, m *meta) int {\n"
        "\td := diff(1, 2)\n"  # 14: a local named like nothing else
        "\tdiff := d\n"  # 15: shadows the function
        "\t_ = p.flags\n"  # 16
        "\treturn diff + int(m.flags)\n"  # 17
        "}\n"
    )
    children = _children(host, prog)
    assert 17 in children[15]  # without line 15, `diff` in line 17 would be the function
    assert {16, 17} <= children[6] and {16, 17} <= children[10]  # either `flags` may be meant
    assert 17 not in children.get(14, set())


@pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain is not installed")
def test_probe_links_interface_uses_to_the_methods_they_need(host):
    prog = (
        "package p\n\n"
        'import "sort"\n\n'
        "type byName []string\n\n"
        "func (b byName) Len() int           { return len(b) }\n"
        "func (b byName) Less(i, j int) bool { return b[i] < b[j] }\n"
        "func (b byName) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }\n\n"
        "type E struct{}\n\n"
        'func (e *E) Error() string { return "" }\n\n'
        "func f(x []string) error {\n"
        "\tsort.Sort(byName(x))\n"  # 16: needs Len, Less and Swap
        "\treturn &E{}\n"  # 17: needs Error
        "}\n"
    )
    children = _children(host, prog)
    assert all(16 in children[r] and 17 not in children[r] for r in (7, 8, 9))
    assert 17 in children[13]


@pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain is not installed")
def test_probe_links_positional_literals_to_every_field(host):
    prog = (
        "package p\n\n"
        "type Point struct {\n\tX int\n\tY int\n}\n\n"
        "var a = Point{1, 2}\n"  # 8
        "var b = []Point{{1, 2}}\n"  # 9: the literal's type is implicit
        "var c = Point{X: 1}\n"  # 10: keyed, needs only X
    )
    children = _children(host, prog)
    assert {8, 9} <= children[4] and {8, 9} <= children[5]
    assert 10 not in children[5]


def test_positional_literal_goes_with_every_field_of_its_struct(host):
    # `*Obj` is another file's type: the struct is invalid to this file's type checker, which
    # then reports no "too few values"; the link is syntactic.
    prog = "package p\n\ntype Point struct {\n\tX int\n\tY *Obj\n}\n\nvar a = &Point{1, nil}\nvar c = Point{X: 1}\n"
    children = _children(host, prog)
    assert 8 in children[4] and 8 in children[5]
    assert 9 not in children[4] | children[5]


def test_fields_of_a_struct_type_written_in_a_literal_go_with_their_keys(host):
    # `[]struct{...}{{Name: ...}}`: no type name ties the keys to the fields.
    prog = ("package p\n\nfunc f() int {\n\tcases := []struct {\n\t\tName string\n\t\tN    int\n\t}{\n"
            "\t\t{\n\t\t\tName: \"a\",\n\t\t\tN:    1,\n\t\t},\n\t}\n\treturn len(cases)\n}\n")
    children = _children(host, prog)
    # the keyed elements are inside the statement: a field takes the statement with it
    assert 4 in children[5] and 4 in children[6]


def test_a_receive_in_a_select_case_writes_without_using(host):
    # golang.org/x/tools internal/fakenet/conn.go: `var b []byte` read by `case b = <-f.input:`
    # and used by `f.source(b)`; without that use gc says "declared and not used".
    prog = (
        "package p\n\n"
        "func run(in chan []byte, done chan struct{}, use func([]byte)) {\n"
        "\tvar b []byte\n"  # 4
        "\tfor {\n"
        "\t\tselect {\n"
        "\t\tcase b = <-in:\n"
        "\t\tcase <-done:\n"
        "\t\t\treturn\n"
        "\t\t}\n"
        "\t\tuse(b)\n"  # 11
        "\t}\n"
        "}\n"
    )
    assert not {c for _, c in codes(host, prog) if c.startswith("unused")}
    assert (4, "unused-variable:b") in codes(host, prog.replace("\t\tuse(b)\n", ""))


def test_positional_elements_of_a_struct_type_written_in_a_literal_need_every_field(host):
    # Go's test/fixedbugs/issue22662b.go: `var tests = []struct{ src, pos string }{{"a", "b"}}`;
    # without the field line, `{"a", "b"}` has "too many values in struct{}{…}".
    prog = (
        "package p\n\n"
        "var tests = []struct {\n"  # 3
        "\tsrc, pos string\n"  # 4
        "\tn        int\n"  # 5
        "}{\n"
        '\t{"a", "b", 1},\n'  # 7
        "}\n\n"
        "var named = []struct {\n"  # 10
        "\tsrc string\n"  # 11
        '}{{src: "a"}}\n'  # 12: keyed, it needs only `src`
    )
    children = _children(host, prog)
    assert 3 in children[4] and 3 in children[5]
    assert 10 not in children[5]


@pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain is not installed")
def test_probe_links_interface_uses_to_methods_an_embedded_type_lends(host):
    # prometheus/client_golang promhttp/delegator.go: `flusherDelegator{d}` and an anonymous
    # `struct{ *rwd }{d}` are `delegator`s through the methods of the embedded `*rwd`.
    prog = (
        "package p\n\n"
        "type delegator interface {\n\tStatus() int\n}\n\n"
        "type rwd struct {\n\tstatus int\n}\n\n"
        "func (r *rwd) Status() int { return r.status }\n\n"  # 11
        "type flusherDelegator struct{ *rwd }\n\n"
        "func (d flusherDelegator) Flush() {}\n\n"
        "func pick(d *rwd) delegator {\n"
        "\treturn flusherDelegator{d}\n"  # 18
        "}\n\n"
        "func pick2(d *rwd) delegator {\n"
        "\treturn struct {\n"  # 22
        "\t\t*rwd\n"
        "\t}{d}\n"
        "}\n"
    )
    children = _children(host, prog)
    assert 18 in children[11] and 22 in children[11]


def test_type_assertion_goes_with_every_method_of_its_type(host):
    # From influxdata/yarpc's generator.go (BSD-3-Clause), reduced: the interface names a type
    # of an import that does not resolve, and the asserted value comes from a method call.
    prog = (
        "package p\n\n"
        'import "example.com/missing/descriptor"\n\n'
        "type Object interface {\n\tFile() *descriptor.File\n\tTypeName() []string\n}\n\n"
        "type Imported struct {\n\to Object\n}\n\n"
        "func (id *Imported) File() *descriptor.File { return id.o.File() }\n"  # 14
        "func (id *Imported) TypeName() []string { return id.o.TypeName() }\n\n"  # 15
        "type Registry struct {\n\tobjects map[string]Object\n}\n\n"
        "func (r *Registry) Lookup(name string) Object { return r.objects[name] }\n\n"  # 21
        "func (r *Registry) unwrap(name string) Object {\n"
        "\tobj := r.Lookup(name)\n"
        "\tif id, ok := obj.(*Imported); ok {\n"  # 25: impossible once TypeName is gone
        "\t\treturn id.o\n\t}\n\treturn obj\n}\n"
    )
    children = _children(host, prog)
    assert 25 in children[14] and 25 in children[15]
    assert 25 not in children.get(21, set())
    assert 25 not in children.get(11, set())  # a field is no method: no link by the struct's name


def test_type_assertion_goes_with_the_methods_an_embedded_type_lends(host):
    prog = (
        "package p\n\n"
        'import "example.com/missing/descriptor"\n\n'
        "type Object interface {\n\tFile() *descriptor.File\n\tName() string\n}\n\n"
        "type common struct{ file *descriptor.File }\n\n"
        "func (c *common) File() *descriptor.File { return c.file }\n"  # 12
        "func (c *common) Name() string { return \"\" }\n\n"  # 13
        "type inner struct{ *common }\n\n"  # 15: lends through two embeddings
        "type Message struct {\n\tinner\n\tfields []string\n}\n\n"
        "func (g *Message) Object() Object { return g }\n\n"  # 22
        "func first(objs []Object) *Message {\n"
        "\tif m, ok := objs[0].(*Message); ok {\n"  # 25
        "\t\treturn m\n\t}\n\treturn nil\n}\n"
    )
    children = _children(host, prog)
    assert 25 in children[12] and 25 in children[13] and 25 in children[22]


def test_keys_of_elements_whose_type_a_literal_elides_name_fields(host):
    # From minio/dsync's chaos/lock-rpc-server.go (Apache-2.0), reduced: `[]info{{uid: ..}}`
    # names the field `uid` though no type is written before its braces; with the field gone,
    # "unknown field 'uid' in struct literal".
    prog = (
        "package p\n\n"
        "type info struct {\n\tuid string\n\tstamp int\n}\n\n"
        "func f() []info {\n"
        '\tm := map[string]*info{"a": {uid: "x"}}\n'  # 9
        "\t_ = m\n"
        '\treturn []info{\n\t\t{\n\t\t\tuid:   "a",\n\t\t\tstamp: 1,\n\t\t},\n\t}\n'  # 11-16
        "}\n"
    )
    assert not {c for _, c in codes(host, prog) if c.startswith("undefined:") and "int" not in c and "string" not in c}
    without = codes(host, prog.replace("\tuid string\n", ""))
    assert (8, "undefined:uid") in without and (12, "undefined:uid") in without
    # A slice of maps keeps its keys values: `k` is the local.
    maps = "package p\n\nfunc f(k string) []map[string]int {\n\treturn []map[string]int{{k: 1}}\n}\n"
    assert not {c for _, c in codes(host, maps) if c.startswith("unused")}
    assert (4, "undefined:k") in codes(host, maps.replace("k string", ""))
