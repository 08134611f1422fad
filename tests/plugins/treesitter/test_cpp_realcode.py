"""C++ through the tree-sitter engine: failure classes found on real C++ code (the corpus of
``benchmarks/corpus/build.py``: Debian packages' examples and tests, GCC's test suite), each
pinned by a small program in the shape of the code that showed it."""

from __future__ import annotations

import shutil

import pytest

from lintseq_core.host import PluginHost

pytest.importorskip("tree_sitter")


def undefined(host: PluginHost, source: str) -> set[tuple[int, str]]:
    """(0-based line, name) of every name the tree-sitter analyzer finds no definition for."""
    return {(d.line - 1, d.code.partition(":")[2]) for d in host.analyze("cpp", "treesitter", source)
            if d.code.startswith("undefined:")}


def test_an_unnamed_namespace_declares_into_the_enclosing_scope(host):
    # googletest's test files put their fixtures and helpers in `namespace { ... }` and use
    # them from `main` after it: deleting the class must charge `new Env`.
    src = (
        "namespace {\n"
        "class Env {\n"
        " public:\n"
        "  int n = 0;\n"
        "};\n"
        "int Square(int n) { return n * n; }\n"
        "}  // namespace\n"
        "int main() {\n"
        "  Env *e = new Env;\n"
        "  return Square(e->n);\n"
        "}\n"
    )
    assert undefined(host, src) == set()
    assert (4, "Env") in undefined(host, src.replace("class Env {\n public:\n  int n = 0;\n};\n", ""))
    assert (8, "Square") in undefined(host, src.replace("int Square(int n) { return n * n; }\n", ""))
    # a named one is no scope either: its members are seen unqualified after `using namespace`,
    # from another block of the same namespace and from a namespace nested in it
    named = (
        "namespace a {\nstruct P { int x; };\nint f(int v) { return v; }\nnamespace in { int g(); }\n}\n"
        "using namespace a;\nnamespace a {\nint h() { return f(1); }\n}\n"
        "int main() {\n  P p;\n  return f(p.x) + a::in::g() + h();\n}\n"
    )
    assert undefined(host, named) == set()
    assert {(6, "f"), (10, "f")} <= undefined(host, named.replace("int f(int v) { return v; }\n", ""))
    assert (9, "P") in undefined(host, named.replace("struct P { int x; };\n", ""))
    assert (10, "in") in undefined(host, named.replace("namespace in { int g(); }\n", ""))


def test_a_case_label_left_last_in_a_switch_is_an_error(host):
    # fltk's tree-simple.cxx: `case FL_TREE_REASON_CLOSED:` then a comment and `break;` as the
    # last case; once the `break;` is gone g++ (before C++23) wants a statement after the label.
    src = (
        "int f(int c) {\n  int r = 0;\n  switch (c) {\n    case 1:\n      r = 2;\n      break;\n"
        "    default:\n      // nothing to do\n      break;\n  }\n  return r;\n}\n"
    )

    def errors(source: str) -> set[tuple[int, str]]:
        return {(d.line - 1, d.code) for d in host.analyze("cpp", "treesitter", source)}

    assert errors(src) == set()
    assert errors(src.replace("      break;\n  }", "  }")) == {(6, "label-at-end-of-switch")}
    # a label with statements after it, or followed by another case, is fine
    assert errors(src.replace("      r = 2;\n      break;\n", "")) == set()
    # an `#if` block left between the label and the `}` holds no statement for it either
    guarded = src.replace("      break;\n  }", "#if VERSION >= 2\n    // reselected\n#endif\n  }")
    assert (6, "label-at-end-of-switch") in errors(guarded)
    structure = host.structure("cpp", "treesitter", src.splitlines())
    assert 8 in structure.children[6]


def test_constructors_go_with_every_construction_of_their_class(host, deleted_with):
    # GCC's g++.old-deja/g++.brendan/init3.C and googletest's googletest-listener-test.cc:
    # with the constructor `bar1(int&)` deleted, `bar1 b(i)` / `new T("x")` find no matching
    # constructor; no name in the construction says which one it uses.
    lines = [
        "struct bar1 {",
        "  bar1(int &);",  # 1
        "  explicit bar1(const char *s) {}",  # 2
        "  template <class U> bar1(U *u) {}",  # 3
        "};",
        "bar1::bar1(int &) {}",  # 5
        "struct D : bar1 {",
        "  D() : bar1(\"d\") {}",  # 7
        "};",
        "int main() {",
        "  int i = 0;",
        "  bar1 b(i);",  # 11
        "  bar1 *p = new bar1(\"x\");",  # 12
        "  bar1 c{&i};",  # 13
        "  return bar1(i).f + p->f;",  # 14
        "}",
    ]
    for ctor in (1, 2, 3, 5):
        assert {7, 11, 12, 13, 14} <= deleted_with("cpp", lines, ctor)
    # an ordinary method or a function of another name keeps its own uses only
    assert not {11, 12, 13, 14} & deleted_with("cpp", lines, 10)


def test_a_member_of_a_class_type_and_an_override_go_with_constructions(host, deleted_with):
    # init3.C: `foo::foo(int x, int y) : b(x), a(y) {}` constructs the members `bar1 a;` and
    # `bar2 b;` with an int: deleting `bar1(int)` must take the member (and so its initializer).
    # googletest-listener-test.cc: deleting an `override` of a pure virtual method leaves the
    # class abstract, so `new EventRecordingListener("1st")` no longer compiles.
    lines = [
        "struct bar1 {",
        "  bar1(int);",  # 1
        "};",
        "struct foo {",
        "  bar1 a;",  # 4
        "  foo(int y) : a(y) {}",
        "};",
        "struct L {",
        "  virtual void on() = 0;",
        "};",
        "class R : public L {",
        " public:",
        "  void on() override {}",  # 12
        "};",
        "int main() {",
        "  L *l = new R;",  # 15
        "  R r;",  # 16
        "  foo f(1);",
        "  l->on();",
        "}",
    ]
    assert 4 in deleted_with("cpp", lines, 1)
    assert {15, 16} <= deleted_with("cpp", lines, 12)
    # the pure virtual method of a class with no base goes with no construction
    assert not {15, 16} & deleted_with("cpp", lines, 8)


def test_members_of_an_anonymous_union_and_class_qualified_names(host):
    # GCC's g++.dg/lookup/anon1.C: the members of an anonymous union are members of the class
    # around it (`ia2` in a method, `A::ia2` outside); `void B::f2()` needs an `f2` in B.
    src = (
        "struct A {\n"
        "  long ia1;\n"
        "  union {\n"
        "    long ia2;\n"
        "  };\n"
        "  long g() { return ia2; }\n"
        "};\n"
        "struct B : public A {\n"
        "  void f2();\n"
        "};\n"
        "void B::f2() {\n"
        "  A::ia2 = 44;\n"
        "}\n"
        "int main() {\n"
        "  union {\n"
        "    int u;\n"
        "  };\n"
        "  return u;\n"
        "}\n"
    )
    assert undefined(host, src) == set()
    no_union = src.replace("  union {\n    long ia2;\n  };\n", "")
    assert {(2, "ia2"), (8, "ia2")} <= undefined(host, no_union)
    assert (9, "f2") in undefined(host, src.replace("  void f2();\n", ""))
    # another class's member of that name is no `B::f2`
    assert (10, "f2") in undefined(host, src.replace("  void f2();\n", "").replace("long ia1;", "long ia1;\n  void f2();"))
    assert (14, "u") in undefined(host, src.replace("  union {\n    int u;\n  };\n", ""))


def test_a_destructor_defined_outside_its_class_goes_with_its_declaration(host, deleted_with):
    # GCC's g++.dg/opt/pr23478.C: with `~C13 ();` deleted from the class template, its
    # definition `template <class X> C13<X>::~C13 ()` is "no declaration matches".
    lines = [
        "template <class X> class C13 {",
        "public:",
        "  C13 ();",  # 2
        "  ~C13 ();",  # 3
        "};",
        "template <class X>",  # 5
        "C13<X>::~C13 () {}",
        "struct B {",
        "  ~B ();",  # 8
        "};",
        "B::~B () {}",  # 10
    ]
    assert 5 in deleted_with("cpp", lines, 3)
    assert 10 in deleted_with("cpp", lines, 8)
    # the constructor (keyed by the class's name, not `~C13`) takes no destructor with it
    assert 5 not in deleted_with("cpp", lines, 2)


def test_positional_aggregate_initializers_go_with_every_data_member(host, deleted_with):
    # nlohmann-json's to_json.cpp: `ns::person p = {"Ned Flanders", "744 Evergreen Terrace",
    # 60};` without the member `address` is "too many initializers for 'ns::person'".
    lines = [
        "#include <string>",
        "namespace ns {",
        "struct person {",
        "  std::string name;",  # 3
        "  int age;",  # 4
        "  void greet();",  # 5
        "};",
        "}",
        "int main() {",
        '  ns::person p = {"Ned", 60};',  # 9
        '  ns::person t[] = {{"A", 1}, {"B", 2}};',  # 10
        '  auto q = ns::person{"C", 3};',  # 11
        "  ns::person e = {};",  # 12
        "  ns::person d;",  # 13
        "}",
    ]
    assert {9, 10, 11} <= deleted_with("cpp", lines, 3)
    assert {9, 10, 11} <= deleted_with("cpp", lines, 4)
    # a method fills no position; an empty initializer and a plain declaration need no member
    # (the member's links are kept apart from the constructors', keyed by the same name)
    assert not {9, 10, 11} & deleted_with("cpp", lines, 5)
    assert not {12, 13} & deleted_with("cpp", lines, 3)


def test_the_members_of_a_template_specialization_stay_with_it(host):
    # tclap's test16.cpp: `template <> struct ArgTraits<std::vector<double>> { typedef
    # StringLike ValueCategory; };` in a reopened library namespace: the library's templates
    # name `ValueCategory`, and use the specialization for every `ValueArg<std::vector<double>>`.
    lines = [
        "#include <vector>",
        "namespace lib { template <class T> struct Traits { typedef int Category; }; }",
        "namespace lib {",  # 2
        "template <>",  # 3
        "struct Traits<std::vector<double> > {",
        "  typedef double Category;",  # 5
        "};",
        "}",
        "int main() { lib::Traits<std::vector<double> >::Category c = 1.5; return (int)c; }",
    ]
    structure = host.structure("cpp", "treesitter", lines)
    assert 5 not in structure.candidates
    assert not {2, 3} & set(structure.candidates)
    # a class that is no specialization keeps its members free
    assert 1 in structure.candidates


@pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")
def test_members_used_in_methods_defined_outside_their_class(host, deleted_with):
    # GCC's g++.dg/opt/pr23478.C: `C5::f2` defined after its class uses the members `m1` and
    # `m2`; g++ skips the body of a definition whose declaration it does not find, so the probe
    # must rename the definition with the declaration to see these uses. A member the class
    # inherits (`bx`) and one a destructor of a class template uses (`v`) too.
    lines = [
        "struct Base {",
        "  int bx;",  # 1
        "};",
        "struct C5 : Base {",
        "  int f2 (int a);",
        "  long m1[2];",  # 5
        "};",
        "int C5::f2 (int a) {",
        "  m1[0] = a;",  # 8
        "  return m1[1] + bx;",  # 9
        "}",
        "template <class T> struct A {",
        "  T v;",  # 12
        "  ~A ();",
        "};",
        "template <class T> A<T>::~A () {",
        "  v = T ();",  # 16
        "}",
        "int g (C5 &c) { return c.f2 (1); }",
    ]
    assert {8, 9} <= deleted_with("cpp", lines, 5)
    assert 9 in deleted_with("cpp", lines, 1)
    assert 16 in deleted_with("cpp", lines, 12)


def test_a_pointer_to_member_is_a_definition(host):
    # C++ Annotations' pointermembers chapter, GCC's g++.dg: `int (C::*p)() = &C::f;` (read by
    # the grammar as a call in a function body) and `int C::*q = &C::v;` declare `p` and `q`,
    # which `(c.*p)()` and `c.*q` use; deleting the declaration must charge these uses.
    src = (
        "struct C {\n"
        "  int f() { return 1; }\n"
        "  int v;\n"
        "};\n"
        "int get(C &c, int C::*m) { return c.*m; }\n"
        "int main() {\n"
        "  int (C::*p)() = &C::f;\n"
        "  int C::*q = &C::v;\n"
        "  C c;\n"
        "  c.v = (c.*p)();\n"
        "  return c.*q + get(c, q);\n"
        "}\n"
    )
    assert undefined(host, src) == set()
    assert (8, "p") in undefined(host, src.replace("  int (C::*p)() = &C::f;\n", ""))
    assert (9, "q") in undefined(host, src.replace("  int C::*q = &C::v;\n", ""))
    assert (4, "m") in undefined(host, src.replace("int C::*m", "int C::*n"))


def test_members_returning_references_and_reference_members_are_definitions(host, deleted_with):
    # C++ Annotations: `std::string const &name() const;`, `Counter &operator+=(int)`, `std::ostream
    # &d_out;`; the grammar's reference_declarator has no `declarator:` field, which the member
    # patterns asked for, so `c.name()` resolved to nothing and the declaration went free.
    src = (
        "struct Out { int n; };\n"
        "class Log {\n"
        "  Out &d_out;\n"
        " public:\n"
        "  Out &out() const;\n"
        "  int &at(int i) { return d_at[i]; }\n"
        "  int d_at[2];\n"
        "};\n"
        "namespace io {\n"
        "int &counter();\n"
        "}\n"
        "int use(Log &log) { return log.out().n + log.at(0) + io::counter(); }\n"
    )
    assert undefined(host, src) == set()
    assert (10, "out") in undefined(host, src.replace("  Out &out() const;\n", ""))
    assert (10, "at") in undefined(host, src.replace("  int &at(int i) { return d_at[i]; }\n", ""))
    assert (10, "counter") in undefined(host, src.replace("int &counter();\n", ""))
    refs = ["struct R {", "  int &d_ref;", "  R(int &r) : d_ref(r) {}", "};", "int f(R &r) { return r.d_ref; }"]
    assert {2, 4} <= deleted_with("cpp", refs, 1)


def test_a_class_declared_ahead_of_its_body_is_a_definition(host):
    # C++ Annotations' exprtempl3.cc: `template <..> struct BinExpr;` then a partial specialization
    # `BasicType<BinExpr<LHS, RHS, Op>>` before BinExpr's body; `class B;` then `B *d_b;`.
    src = (
        "class B;\n"
        "struct A { B *d_b; };\n"
        "template <class T> struct E;\n"
        "template <class T> struct Basic { using Type = T; };\n"
        "template <class T> struct Basic<E<T>> { using Type = int; };\n"
        "class B { public: int x; };\n"
        "template <class T> struct E { T v; };\n"
    )
    assert undefined(host, src) == set()
    assert (0, "B") in undefined(host, src.replace("class B;\n", ""))
    assert (3, "E") in undefined(host, src.replace("template <class T> struct E;\n", ""))


@pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")
def test_an_implicitly_declarable_member_defined_outside_goes_with_its_declaration(host, deleted_with):
    # GCC's g++.old-deja/g++.other/inline8.C: `NAMES_ITEM::NAMES_ITEM(const NAMES_ITEM &)`
    # defined after the class needs the class's declaration of the copy constructor ("definition
    # of implicitly-declared ..." without it), which the probe's renaming reports so.
    lines = [
        "struct Item {",
        "  Item(const char *n);",
        "  Item(const Item &other);",  # 2
        "  const char *name;",
        "};",
        "Item::Item(const char *n) : name(n) {}",
        "Item::Item(const Item &other) : name(other.name) {}",  # 6
        "int main() { Item a(\"x\"); Item b(a); return b.name == a.name; }",
    ]
    assert 6 in deleted_with("cpp", lines, 2)


def test_factories_and_default_member_initializers_construct_their_class(host, deleted_with):
    # `std::make_unique<Counter>("two")` picks a constructor of Counter like `new Counter("two")`
    # (without it g++ reports the error inside <memory>, on line 0); a member's default
    # initializer `Inner d_inner{0, 1};` fills Inner's data members in order, as `Inner i{0, 1};`.
    lines = [
        "#include <memory>",
        "struct Inner {",
        "  int a;",  # 2
        "  int b;",  # 3
        "};",
        "struct C {",
        "  C(const char *s);",  # 6
        "  Inner d_inner{0, 1};",  # 7
        "};",
        "int main() { auto p = std::make_unique<C>(\"x\"); return std::make_shared<C>(\"y\")->d_inner.a; }",  # 9
    ]
    assert 9 in deleted_with("cpp", lines, 6)
    assert 7 in deleted_with("cpp", lines, 2)
    assert 7 in deleted_with("cpp", lines, 3)


def test_a_lambdas_return_of_a_value_stays_with_the_lambda(host):
    # C++ Annotations' upperbound2.cc and ptrfun.cc: a comparator or predicate passed to
    # `sort`/`find_if` whose `return` is deleted returns void ("void value not ignored as it
    # ought to be" inside <algorithm>, on no line of the program).
    lines = [
        "#include <algorithm>",
        "int main() {",
        "  int a[] = {3, 1, 2};",
        "  std::sort(a, a + 3,",
        "    [](int lhs, int rhs)",
        "    {",
        "      return lhs < rhs;",  # 6
        "    }",
        "  );",
        "}",
    ]
    structure = host.structure("cpp", "treesitter", lines)
    assert 6 not in structure.candidates


def test_a_friend_functions_definition_goes_with_its_friend_declaration(host, deleted_with):
    # C++ Annotations' classes: `friend std::ostream &operator<<(std::ostream &, Counter const &);`
    # in the class, the operator defined after it reads private members.
    lines = [
        "#include <ostream>",
        "class Counter {",
        "  int d_count = 0;",
        "  friend std::ostream &operator<<(std::ostream &out, Counter const &c);",  # 3
        "  friend void reset(Counter &c);",  # 4
        "};",
        "std::ostream &operator<<(std::ostream &out, Counter const &c)",  # 6
        "{",
        "  return out << c.d_count;",
        "}",
        "void reset(Counter &c) { c.d_count = 0; }",  # 10
    ]
    assert 6 in deleted_with("cpp", lines, 3)
    assert 10 in deleted_with("cpp", lines, 4)


def test_includes_inside_conditionals_stay_with_their_branches(host):
    # As in C (readline's examples): deleting an `#else` line must not take the include of its
    # branch with it while the code still uses what the header declares.
    src = (
        "#include <cstdio>\n"
        "#if defined(USE_BOOST)\n"  # 2
        "#  include <boost/optional.hpp>\n"
        "#else\n"  # 4
        "#  include <optional>\n"
        "#endif\n"
        "#ifdef DEBUG\n"  # 7: no include in it
        "int level = 1;\n"
        "#endif\n"
        "int main() { std::optional<int> x; std::printf(\"%d\\n\", x.value_or(0)); return 0; }\n"
    )
    candidates = {r + 1 for r in host.structure("cpp", "treesitter", src.split("\n")).candidates}
    assert not {2, 4} & candidates
    assert {7, 8, 10} <= candidates


def test_structured_bindings_go_with_every_data_member(deleted_with):
    # `auto [a, b] = p;` decomposes p's class into its data members, one name each: deleting
    # `double y;` while the binding stays gives "only 2 names provided for structured binding".
    # Which class p has is its type's knowledge, so every data member takes every binding.
    lines = [
        "#include <map>",
        "struct P {",
        "  int x;",  # 2
        "  double y;",  # 3
        "};",
        "int main() {",
        "  P p{1, 2.0};",  # 6
        "  auto [a, b] = p;",  # 7
        "  const auto &[c, d] = p;",  # 8
        "  P ps[1] = {p};",
        "  for (auto const &[e, f] : ps) {",  # 10
        "    a += e;",
        "  }",
        "  int n = 0;",  # 13
        "  return a + c + n;",
        "}",
    ]
    for member in (2, 3):
        assert {7, 8, 10} <= deleted_with("cpp", lines, member)
        assert 13 not in deleted_with("cpp", lines, member)


def test_returns_of_deduced_return_functions_and_friend_classes_stay(host):
    # Asio's examples: `auto async_read_input(..) { ..; return asio::async_initiate<..>(..); }`
    # returns void without its `return` ("conversion from 'void' to non-scalar type
    # 'std::future<..>'"), and `class thread_bag { friend class thread_executor; thread_bag() =
    # default; }` makes its private constructor unreachable without the friend ("is private
    # within this context"). Both stay with what holds them.
    src = (
        "class Bag {\n"
        "  friend class Exec;\n"  # 2
        "  template <class> friend class Queue;\n"  # 3
        "  Bag() = default;\n"
        "};\n"
        "auto twice(int x) {\n"
        "  int y = x * 2;\n"  # 7
        "  return y;\n"  # 8
        "}\n"
        "void show(int x) {\n"
        "  return;\n"  # 11: no value, no deduction
        "}\n"
        "int main() { return twice(1); }\n"
    )
    candidates = {r + 1 for r in host.structure("cpp", "treesitter", src.split("\n")).candidates}
    assert not {2, 3, 8} & candidates
    assert {7, 11} <= candidates


def test_a_class_defined_in_its_initialized_declaration_goes_with_its_members(deleted_with):
    # Asio's c_callback_wrapper.cpp: `struct deleter { alloc_type alloc; void operator()(..) }
    # d{get_associated_allocator(..)};` — without `alloc` the initializer has too many values
    # ("too many initializers for '..::deleter'").
    lines = [
        "template <class A>",
        "int make(A a) {",
        "  struct deleter {",  # 2
        "    A alloc;",  # 3
        "    int n;",  # 4
        "  } d{a, 1};",
        "  return d.n;",
        "}",
        "int main() { return make(0); }",
    ]
    assert 2 in deleted_with("cpp", lines, 3)
    assert 2 in deleted_with("cpp", lines, 4)


def test_a_friend_function_templates_definition_goes_with_its_friend_declaration(deleted_with):
    # A class template's stream operator as a friend template (`template <typename U> friend
    # std::ostream &operator<<(std::ostream &, Box<U> const &);`), defined after the class: the
    # definition reads a private member, so without the friend declaration it is "private
    # within this context".
    lines = [
        "#include <ostream>",
        "template <typename T>",
        "class Box {",
        "  T d_value;",
        "  template <typename U>",  # 4
        "  friend std::ostream &operator<<(std::ostream &out, Box<U> const &box);",
        "  template <typename U>",  # 6
        "  friend void reset(Box<U> &box);",
        "};",
        "template <typename U>",  # 9
        "std::ostream &operator<<(std::ostream &out, Box<U> const &box)",
        "{",
        "  return out << box.d_value;",
        "}",
        "template <typename U>",  # 14
        "void reset(Box<U> &box) { box.d_value = U(); }",
    ]
    assert {9, 12} <= deleted_with("cpp", lines, 4)
    assert 14 in deleted_with("cpp", lines, 6)
    assert 14 not in deleted_with("cpp", lines, 4)


def test_a_constexpr_functions_return_of_a_value_stays(host):
    # `constexpr int square(int value) { return value * value; }` without its `return` is "no
    # return statement in 'constexpr' function returning non-void" for g++ (C++17 too), whatever
    # else its body holds; a plain function's or a constexpr void one's `return` stays free.
    src = (
        "constexpr int square(int value)\n"
        "{\n"
        "  int twice = value * value;\n"  # 3
        "  return twice;\n"  # 4
        "}\n"
        "struct S {\n"
        "  constexpr int get() const { return 1; }\n"  # 7: the whole function
        "  constexpr int half(int v) const\n"
        "  {\n"
        "    return v / 2;\n"  # 10
        "  }\n"
        "};\n"
        "int plain(int v)\n"
        "{\n"
        "  return v;\n"  # 15
        "}\n"
        "constexpr void none()\n"
        "{\n"
        "  return;\n"  # 19
        "}\n"
        "int main() { return square(2) + S{}.half(4) + plain(1); }\n"
    )
    candidates = {r + 1 for r in host.structure("cpp", "treesitter", src.split("\n")).candidates}
    assert not {4, 10} & candidates
    assert {3, 7, 15, 19} <= candidates


def test_a_class_declared_ahead_in_a_class_is_a_member_type(host, deleted_with):
    # The pimpl idiom: `class Impl; std::unique_ptr<Impl> d_impl;` in the class, `class
    # Widget::Impl { .. };` after it. Without the declaration the member and the definition
    # outside are errors ("qualified name does not name a class before '{' token").
    src = (
        "#include <memory>\n"
        "class Widget\n"
        "{\n"
        "  class Impl;\n"  # 3
        "  struct Node;\n"  # 4
        "  std::unique_ptr<Impl> d_impl;\n"  # 5
        "  Node *d_head = nullptr;\n"  # 6
        "public:\n"
        "  Widget();\n"
        "};\n"
        "class Widget::Impl\n"  # 10
        "{\n"
        "  int d_total = 0;\n"
        "};\n"
        "Widget::Widget()\n"
        ":\n"
        "  d_impl(new Impl)\n"
        "{}\n"
    )
    assert not {(5, "Impl"), (10, "Impl"), (6, "Node")} & undefined(host, src)
    without_impl = undefined(host, src.replace("  class Impl;\n", "  \n"))
    assert {(5, "Impl"), (10, "Impl")} <= without_impl
    assert (6, "Node") in undefined(host, src.replace("  struct Node;\n", "  \n"))
    # its body outside takes the declaration with it (`d_impl`'s destructor needs the whole
    # class: "invalid application of 'sizeof' to incomplete type 'Widget::Impl'"), and so does
    # a body given later in the class (`new Node` and a `Node` member need the whole class)
    assert 3 in deleted_with("cpp", src.split("\n"), 10)
    # and the definition outside goes with the declaration it completes ("qualified name does
    # not name a class"), which its name alone need not show (a constructor named like it)
    assert 10 in deleted_with("cpp", src.split("\n"), 3)
    lines = ["class List {", "  struct Node;", "  Node *d_head;", "  struct Node { int v; };", "  Node d_first;", "};"]
    assert 1 in deleted_with("cpp", lines, 3)


def test_an_explicit_specialization_uses_its_primary_template(host):
    # GCC's g++.old-deja/g++.pt/spec13.C: `template <> void f(int *ip) {}` specializes the
    # `template <class T> void f(T *t);` before it; without that one it is "'f' is not a
    # template function". Its name is a use, not a definition (in a namespace too).
    src = (
        "template <class T>\n"
        "void show(T value) {}\n"  # 1
        "template <>\n"
        "void show(int *ip) {}\n"  # 3
        "namespace n {\n"
        "template <class T>\n"
        "int get(T t) { return 0; }\n"  # 6
        "template <>\n"
        "int get(char c) { return 1; }\n"  # 8
        "}\n"
        "int main() {\n"
        "  int x = 0;\n"
        "  show(&x);\n"
        "  return n::get('a');\n"
        "}\n"
    )
    assert undefined(host, src) == set()
    assert (3, "show") in undefined(host, src.replace("void show(T value) {}\n", "\n"))
    assert (8, "get") in undefined(host, src.replace("int get(T t) { return 0; }\n", "\n"))


def test_constructions_through_a_twice_qualified_name_go_with_the_constructors(deleted_with):
    # GCC's g++.dg/torture/pr92152.C: `HPHP::jit::test(HPHP::jit::VregSet{})` with the default
    # constructor `VregSet() : blocks{} {..}` deleted finds no matching constructor.
    lines = [
        "namespace a {",
        "namespace b {",
        "struct V {",
        "  V() : n(1) {}",  # 3
        "  V(int x) : n(x) {}",  # 4
        "  int n;",
        "};",
        "}",
        "}",
        "int main() {",
        "  a::b::V v{};",  # 10
        "  auto w = a::b::V{};",  # 11
        "  a::b::V *p = new a::b::V(2);",  # 12
        "  return a::b::V(3).n + v.n + w.n + p->n;",  # 13
        "}",
    ]
    for ctor in (3, 4):
        assert {10, 11, 12, 13} <= deleted_with("cpp", lines, ctor)


@pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")
def test_member_types_used_outside_the_class_body_go_with_them(deleted_with):
    # The C++ Annotations' style: a member alias and a member enum named bare in a nested
    # class defined outside (`class Text::Cursor { Size d_pos = 0; };`) and in a method's body
    # defined outside (`d_align == Align::RIGHT`): without them, "'Size' does not name a type",
    # "'Align' has not been declared". No scope of the syntax tree shows these uses.
    lines = [
        "#include <cstddef>",
        "class Text",
        "{",
        "  public:",
        "    using Size = std::size_t;",  # 4
        "    enum class Align { LEFT, RIGHT };",  # 5
        "    Align d_align = Align::LEFT;",
        "    class Cursor;",
        "    bool right() const;",
        "};",
        "class Text::Cursor",
        "{",
        "    Size d_pos = 0;",  # 12
        "};",
        "bool Text::right() const",
        "{",
        "    return d_align == Align::RIGHT;",  # 16
        "}",
    ]
    assert 12 in deleted_with("cpp", lines, 4)
    assert 16 in deleted_with("cpp", lines, 5)
