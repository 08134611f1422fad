; inherits: c
; C++ adds namespaces, classes (members visible in the whole class), templates,
; references, range-for and lambdas to the C rules.
(lambda_expression) @local.scope
(for_range_loop) @local.scope
(field_declaration_list) @local.scope
; A namespace is no scope: what an unnamed one (`namespace { ... }`) declares is visible in the
; enclosing scope (googletest's fixtures, used from `main` after it), and what a named one
; declares is seen unqualified after `using namespace a;`, in another `namespace a { ... }`
; block and in namespaces nested in it, which a scope would hide (its names then resolve to
; nothing, and deleting them charges no use). `a::x` reads a's own members (`ns:a` below).

(parameter_declaration declarator: (reference_declarator (identifier) @local.definition.hoisted))
(optional_parameter_declaration declarator: (identifier) @local.definition.hoisted)
(optional_parameter_declaration declarator: (_ (identifier) @local.definition.hoisted))
(init_declarator declarator: (reference_declarator (identifier) @local.definition))
(for_range_loop declarator: (identifier) @local.definition)
(for_range_loop declarator: (reference_declarator (identifier) @local.definition))
(for_range_loop declarator: (structured_binding_declarator (identifier) @local.definition))
(declaration declarator: (structured_binding_declarator (identifier) @local.definition))
(init_declarator declarator: (structured_binding_declarator (identifier) @local.definition))

(class_specifier name: (type_identifier) @local.definition body: (_))
; A struct, union or enum is a type name too, not only a tag as in C.
((struct_specifier name: (type_identifier) @local.definition body: (_))
 (#set! local.priority "2") (#set! local.also-namespace "tag"))
((union_specifier name: (type_identifier) @local.definition body: (_))
 (#set! local.priority "2") (#set! local.also-namespace "tag"))
((enum_specifier name: (type_identifier) @local.definition body: (_))
 (#set! local.priority "2") (#set! local.also-namespace "tag"))
; A class declared ahead of its body (`class B;`, `template <class T> struct BinExpr;`) is
; declared from there on: the uses between it and the body (`B *d_b;`, a partial
; specialization `BasicType<BinExpr<L, R, Op>>`) need it, not the body after them.
([(translation_unit [(class_specifier name: (type_identifier) @local.definition !body)
                     (struct_specifier name: (type_identifier) @local.definition !body)
                     (union_specifier name: (type_identifier) @local.definition !body)])
  (declaration_list [(class_specifier name: (type_identifier) @local.definition !body)
                     (struct_specifier name: (type_identifier) @local.definition !body)
                     (union_specifier name: (type_identifier) @local.definition !body)])
  (template_declaration [(class_specifier name: (type_identifier) @local.definition !body)
                         (struct_specifier name: (type_identifier) @local.definition !body)
                         (union_specifier name: (type_identifier) @local.definition !body)])]
 (#set! local.priority "2") (#set! local.also-namespace "tag"))
; A class declared ahead in a class (`class Impl; std::unique_ptr<Impl> d_impl;`, the pimpl idiom)
; is a member type from there on: `d_impl` and its definition outside (`class Widget::Impl { ..
; };`, whose qualified name resolves anywhere) need it ("qualified name does not name a class
; before '{' token"); a body given later in the class (`struct Node { .. };`) is the one the
; uses after it need.
((field_declaration_list (field_declaration !declarator type: [(class_specifier name: (type_identifier) @local.definition !body)
                                                              (struct_specifier name: (type_identifier) @local.definition !body)
                                                              (union_specifier name: (type_identifier) @local.definition !body)]))
 (#set! local.priority "2") (#set! local.also-namespace "tag"))
(alias_declaration name: (type_identifier) @local.definition)
(namespace_definition name: (namespace_identifier) @local.definition)
(namespace_alias_definition name: (namespace_identifier) @local.definition)
; A template is not a scope of its own: what it declares (a class, a function) is named
; around it; its parameters are hoisted beside it.
(type_parameter_declaration (type_identifier) @local.definition.hoisted)
(optional_type_parameter_declaration name: (type_identifier) @local.definition.hoisted)
; An explicit specialization (`template <> void f(int *ip) {}`) defines no new name: it
; specializes a template of its name declared before it ("'f' is not a template function"
; without one), so its name is a use of that template.
((template_declaration parameters: (template_parameter_list "<" . ">")
  [(function_definition declarator: [(function_declarator declarator: (identifier) @local.reference)
                                     (_ (function_declarator declarator: (identifier) @local.reference))])
   (declaration declarator: [(function_declarator declarator: (identifier) @local.reference)
                             (_ (function_declarator declarator: (identifier) @local.reference))])])
 (#set! local.priority "3"))

; Members: visible in the whole class body, in any order, by their bare name; reached from
; outside through `.` and `->` (a `field` reference resolves to a member of that name in any
; class: which class an object has is a type checker's knowledge).
((field_declaration_list (function_definition declarator: (function_declarator declarator: (field_identifier) @local.definition.hoisted)))
 (#set! local.also-namespace "field"))
((field_declaration_list (field_declaration declarator: (function_declarator declarator: (field_identifier) @local.definition.hoisted)))
 (#set! local.also-namespace "field"))
((field_declaration declarator: (field_identifier) @local.definition.hoisted)
 (#set! local.priority "1") (#set! local.also-namespace "field"))
((field_declaration declarator: (_ declarator: (field_identifier) @local.definition.hoisted))
 (#set! local.priority "1") (#set! local.also-namespace "field"))
; A member function returning a reference (`std::string const &name() const;`, `S
; &operator=(..)`, `T &at(size_t i) { .. }`) or a reference member (`int &d_ref;`): the grammar's
; reference_declarator has no `declarator:` field, which the patterns above (and below) ask for.
((field_declaration_list [(field_declaration declarator: (reference_declarator (function_declarator declarator: (field_identifier) @local.definition.hoisted)))
                          (function_definition declarator: (reference_declarator (function_declarator declarator: (field_identifier) @local.definition.hoisted)))])
 (#set! local.also-namespace "field"))
((field_declaration declarator: (reference_declarator (field_identifier) @local.definition.hoisted))
 (#set! local.priority "1") (#set! local.also-namespace "field"))
((field_expression field: (field_identifier) @local.reference)
 (#set! local.namespace "field") (#set! local.resolve "anywhere") (#set! local.priority "1"))

(namespace_identifier) @local.reference

; Constructors declared in the class body are members too (`A(int);`, reached as `A::A`).
((field_declaration_list (declaration declarator: (function_declarator declarator: (identifier) @local.definition)))
 (#set! local.also-namespace "field") (#set! local.priority "1"))
; `: p(q)` in a constructor and `int A::foo(int i) { ... }` outside the class name members.
((field_initializer (field_identifier) @local.reference)
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))
((function_definition declarator: (function_declarator declarator: (qualified_identifier name: (identifier) @local.reference)))
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))
((function_definition declarator: (_ declarator: (function_declarator declarator: (qualified_identifier name: (identifier) @local.reference))))
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))
((function_definition declarator: (reference_declarator (function_declarator declarator: (qualified_identifier name: (identifier) @local.reference))))
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))
; `Vector::Range`: a type declared inside a class (or namespace), named from outside it.
((qualified_identifier name: (type_identifier) @local.reference) (#set! local.resolve "anywhere"))
; A macro used as a loop head inside a function (`list_for_each(p, head) { .. }`,
; `BOOST_FOREACH(x, v) { .. }`) reads to the grammar as a function defined without a return
; type: it uses the macro's name, it defines nothing.
((compound_statement (function_definition !type declarator: (function_declarator declarator: (identifier) @local.reference)))
 (#set! local.priority "1"))

; `A::foo` (a call, `using A::foo;`) needs a `foo` in namespace A: what a namespace declares is
; also defined in a namespace of its own (`ns:A`), which a qualified use reads too, resolved
; anywhere (besides its plain name, resolved as before).
((namespace_definition name: (namespace_identifier) @_ns
  body: (declaration_list [(function_definition declarator: [(function_declarator declarator: (identifier) @local.definition.parent.ordered)
                                                             (reference_declarator (function_declarator declarator: (identifier) @local.definition.parent.ordered))])
                           (template_declaration (function_definition declarator: [(function_declarator declarator: (identifier) @local.definition.parent.ordered)
                                                                                   (reference_declarator (function_declarator declarator: (identifier) @local.definition.parent.ordered))]))]))
 (#set! local.also-namespace "ns:{_ns}"))
((namespace_definition name: (namespace_identifier) @_ns
  body: (declaration_list [(declaration declarator: [(identifier) @local.definition
                                                     (function_declarator declarator: (identifier) @local.definition)
                                                     (init_declarator declarator: (identifier) @local.definition)
                                                     (_ declarator: (identifier) @local.definition)
                                                     (init_declarator declarator: (_ declarator: (identifier) @local.definition))
                                                     (reference_declarator (function_declarator declarator: (identifier) @local.definition))
                                                     (init_declarator declarator: (reference_declarator (identifier) @local.definition))])
                           (template_declaration (declaration declarator: (function_declarator declarator: (identifier) @local.definition)))]))
 (#set! local.also-namespace "ns:{_ns}"))
((qualified_identifier scope: (namespace_identifier) @_ns name: (identifier) @local.reference)
 (#set! local.also-namespace "ns:{_ns}"))
; The members of an anonymous union or struct (`union { long ia2; };` in a class, a function or
; a namespace) are members of the enclosing class, or names of the enclosing scope: `ia2` and
; `A::ia2` read them there (GCC's g++.dg/lookup/anon1.C). Its priority is above the plain
; member's, whose match (at the inner declaration) comes later.
([(field_declaration !declarator type: [(union_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))
                                        (struct_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))])
  (compound_statement [(union_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))
    (struct_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))])
  (translation_unit [(union_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))
    (struct_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))])
  (declaration_list [(union_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))
    (struct_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))])
  (declaration !declarator type: [(union_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))
                                  (struct_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))])]
 (#set! local.priority "2") (#set! local.also-namespace "field"))
; A class's members are also named `A::x` (`void B::f2() { .. }` outside the class, `A::ia2`,
; also for a member of an anonymous union in it): like a namespace's, they are defined in a
; namespace of their own (`ns:A`) too. The priority is above the plain member's and the
; anonymous union's, whose matches (at the inner declarations) come later. The only nodes
; with a name and a `field_declaration_list` body are class_specifier, struct_specifier and
; union_specifier: a wildcard stands for the three (an alternation cannot share the fields).
((_ name: (type_identifier) @_ns body: (field_declaration_list
  [(field_declaration declarator: [(field_identifier) @local.definition.hoisted
                                   (function_declarator declarator: (field_identifier) @local.definition.hoisted)
                                   (_ declarator: (field_identifier) @local.definition.hoisted)
                                   (_ declarator: (function_declarator declarator: (field_identifier) @local.definition.hoisted))
                                   (reference_declarator [(field_identifier) @local.definition.hoisted
                                                          (function_declarator declarator: (field_identifier) @local.definition.hoisted)])])
   (field_declaration !declarator type: [(union_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))
                                         (struct_specifier !name body: (field_declaration_list (field_declaration declarator: [(field_identifier) @local.definition.parent (_ declarator: (field_identifier) @local.definition.parent)])))])
   (function_definition declarator: [(function_declarator declarator: (field_identifier) @local.definition.hoisted)
                                     (_ declarator: (function_declarator declarator: (field_identifier) @local.definition.hoisted))
                                     (reference_declarator (function_declarator declarator: (field_identifier) @local.definition.hoisted))])]))
 (#set! local.priority "3") (#set! local.also-namespace "field ns:{_ns}"))
; `void B::f2() { .. }`, `A::ia1 = 1`: the name itself resolves to a definition of it in any
; namespace (a member, a namespace's function), and `ns:B` needs it in B.
((qualified_identifier scope: (namespace_identifier) @_ns name: (identifier) @local.reference)
 (#set! local.priority "1") (#set! local.resolve "any-namespace") (#set! local.also-namespace "ns:{_ns}"))
; A pointer to member (`int C::*q = &C::v;`, `int (C::*p)() const = &C::f;`, a parameter `int
; C::*m`) declares its name, which the grammar reads as a type name inside `C::*` (and a
; function pointer's declaration in a function body as a call); `obj.*q`, `(obj.*p)()` and
; `ptr->*p` use it as a field (a reference in the `field` namespace, resolved anywhere).
((qualified_identifier name: (pointer_type_declarator declarator: (type_identifier) @local.definition))
 (#set! local.also-namespace "field"))
