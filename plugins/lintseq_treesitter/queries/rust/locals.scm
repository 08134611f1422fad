; Rust: items are visible in their whole block; `let` bindings only after the statement.
(function_item) @local.scope
(closure_expression) @local.scope
(block) @local.scope
(for_expression) @local.scope
(match_arm) @local.scope
(impl_item) @local.scope
(trait_item) @local.scope
(if_expression) @local.scope
(while_expression) @local.scope
; A struct or enum is a scope for its type parameters (each must be used: rustc E0392);
; its own name and its variants are visible around it.
(struct_item) @local.scope
(enum_item) @local.scope
(union_item) @local.scope
; A module's items are not visible outside it.
(mod_item) @local.scope

; Associated items (methods, associated functions, constants and types, enum variants) are
; never bare names: they are reached through a value (`x.len()`) or a path (`Self::new`,
; `Color::Red`, `Vec::new`), so they live in a namespace of their own (a method `fmt` does not
; hide the module `fmt`) and a use finds its definition anywhere in the file (any impl may
; define it). Each is also defined in its type's own namespace, which a path through that
; type reads (`Pattern::new` needs `Pattern`'s `new`, not any type's). Struct fields (`self.f`,
; `S { f: 1 }`) have a namespace of their own too: a field and a method may share a name.
((impl_item !trait type: [(type_identifier) @_t (generic_type type: (type_identifier) @_t) (_)]
   body: (declaration_list [(function_item name: (identifier) @local.definition.hoisted)
                            (const_item name: (identifier) @local.definition.hoisted)
                            (type_item name: (type_identifier) @local.definition.hoisted)]))
 (#set! local.namespace "assoc") (#set! local.namespace-from "_t") (#set! local.also-namespace "assoc"))
; The items of a trait impl are its type's (`StyledStr::from(s)`) and its trait's
; (`fmt::Display::fmt(self, f)` needs a Display impl).
((impl_item trait: [(type_identifier) @_tr (generic_type type: (type_identifier) @_tr)
                    (scoped_type_identifier name: (type_identifier) @_tr) (_)]
   type: [(type_identifier) @_t (generic_type type: (type_identifier) @_t)
          (reference_type type: [(type_identifier) @_t (generic_type type: (type_identifier) @_t)]) (_)]
   body: (declaration_list [(function_item name: (identifier) @local.definition.hoisted)
                            (const_item name: (identifier) @local.definition.hoisted)
                            (type_item name: (type_identifier) @local.definition.hoisted)]))
 (#set! local.namespace "assoc") (#set! local.namespace-from "_t") (#set! local.also-namespace "assoc assoc:{_tr}"))
((trait_item name: (type_identifier) @_t
   body: (declaration_list [(function_item name: (identifier) @local.definition.hoisted)
                            (function_signature_item name: (identifier) @local.definition.hoisted)
                            (const_item name: (identifier) @local.definition.hoisted)
                            (associated_type name: (type_identifier) @local.definition.hoisted)]))
 (#set! local.namespace "assoc") (#set! local.namespace-from "_t") (#set! local.also-namespace "assoc"))
; A variant is a plain name too where its enum's variants are imported (`use Entry::*;`, which
; stays with the enum: see the language file's pinned query).
((enum_item name: (type_identifier) @_t body: (enum_variant_list (enum_variant name: (identifier) @local.definition.parent)))
 (#set! local.namespace "assoc") (#set! local.namespace-from "_t") (#set! local.also-namespace "assoc -"))
((field_declaration name: (field_identifier) @local.definition.hoisted) (#set! local.namespace "field"))
([(field_expression field: (field_identifier) @local.reference)
  (field_initializer field: (field_identifier) @local.reference)
  (field_pattern name: (field_identifier) @local.reference)]
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))
; A shorthand initializer (`Channel { cap, one_lap }`) reads the local `one_lap` and names the
; field `one_lap` of some struct: it goes with either.
((shorthand_field_initializer (identifier) @local.reference) (#set! local.also-namespace "field"))
; A method call (`x.f()`, `x.f::<T>()`) is not a field access.
([(call_expression function: (field_expression field: (field_identifier) @local.reference))
  (call_expression function: (generic_function function: (field_expression field: (field_identifier) @local.reference)))]
 (#set! local.namespace "assoc") (#set! local.resolve "anywhere") (#set! local.priority "1"))
; A path through a type (`Point::new`, `Color::Red`, `Vec::<u8>::new`, `a::T::f`) reads that
; type's namespace; `Self::new` and `<T as Tr>::f` any type's; a path through a module
; (`mem::swap`, `use std::fmt::Write`) keeps the ordinary rules.
((scoped_identifier path: [(identifier) @_p
                           (scoped_identifier name: (identifier) @_p)
                           (generic_type type: (type_identifier) @_p)]
                    name: (identifier) @local.reference)
 (#match? @_p "^[A-Z]") (#not-eq? @_p "Self")
 (#set! local.namespace "assoc") (#set! local.namespace-from "_p") (#set! local.resolve "anywhere"))
((scoped_identifier path: [(identifier) @_p (bracketed_type)] name: (identifier) @local.reference)
 (#eq? @_p "Self") (#set! local.namespace "assoc") (#set! local.resolve "anywhere"))
((scoped_identifier path: (bracketed_type) name: (identifier) @local.reference)
 (#set! local.namespace "assoc") (#set! local.resolve "anywhere"))
((scoped_type_identifier path: [(identifier) @_p (generic_type type: (type_identifier) @_p)]
                         name: (type_identifier) @local.reference)
 (#match? @_p "^[A-Z]") (#not-eq? @_p "Self")
 (#set! local.namespace "assoc") (#set! local.namespace-from "_p") (#set! local.resolve "anywhere"))
((scoped_type_identifier path: (identifier) @_p name: (type_identifier) @local.reference)
 (#eq? @_p "Self") (#set! local.namespace "assoc") (#set! local.resolve "anywhere"))
((scoped_type_identifier path: (bracketed_type) name: (type_identifier) @local.reference)
 (#set! local.namespace "assoc") (#set! local.resolve "anywhere"))
; A path through a module of this file (`fwd::SentenceBreaks`, `util::helper()`): the item
; is not in scope where it is used, so it resolves anywhere.
((scoped_type_identifier path: [(identifier) @_p (scoped_identifier name: (identifier) @_p) (self) (super) (crate)]
                         name: (type_identifier) @local.reference)
 (#match? @_p "^[a-z]") (#set! local.resolve "anywhere"))
((scoped_type_identifier path: [(self) (super) (crate)] name: (type_identifier) @local.reference)
 (#set! local.resolve "anywhere"))
((call_expression function: (scoped_identifier path: [(identifier) @_p (scoped_identifier name: (identifier) @_p)]
                                               name: (identifier) @local.reference))
 (#match? @_p "^[a-z]") (#set! local.resolve "anywhere"))
((call_expression function: (scoped_identifier path: [(self) (super) (crate)] name: (identifier) @local.reference))
 (#set! local.resolve "anywhere"))
; An item configured out (`#[cfg(feature = "x")]`, `#[cfg(test)]`, a build script's
; `#[cfg(has_std)]`: no feature and no custom cfg is on; of the bare names only `unix` and
; `debug_assertions` are; `all(not(x), feature = "y")` needs a feature) does not exist for the
; compiler: its names go to a namespace no use reads, so they never stand in for the
; configured-in item of the same name.
((attribute_item (attribute (identifier) @_c arguments: (token_tree) @_a)) .
 (attribute_item)* .
 [(function_item name: (identifier) @local.definition.hoisted)
  (struct_item name: (type_identifier) @local.definition.hoisted)
  (enum_item name: (type_identifier) @local.definition.hoisted)
  (const_item name: (identifier) @local.definition.hoisted)
  (static_item name: (identifier) @local.definition.hoisted)
  (type_item name: (type_identifier) @local.definition.hoisted)
  (mod_item name: (identifier) @local.definition.hoisted)
  (field_declaration name: (field_identifier) @local.definition.hoisted)
  (enum_variant name: (identifier) @local.definition.hoisted)
  (impl_item body: (declaration_list (function_item name: (identifier) @local.definition.hoisted)))
  (use_declaration argument: [(identifier) @local.definition.hoisted
                              (scoped_identifier name: (identifier) @local.definition.hoisted)
                              (use_as_clause alias: (identifier) @local.definition.hoisted)
                              (scoped_use_list list: (use_list [(identifier) @local.definition.hoisted
                                                                (scoped_identifier name: (identifier) @local.definition.hoisted)
                                                                (use_as_clause alias: (identifier) @local.definition.hoisted)]))])]
 (#eq? @_c "cfg") (#match? @_a "^[(]\\s*(feature\\s*=|(?!(unix|debug_assertions)\\s*[)])[a-z_][a-z0-9_]*\\s*[)]|all[(](?:\\w+[(][^()]*[)]|[^()])*?\\bfeature\\s*=)")
 (#set! local.namespace "configured-out") (#set! local.priority "3"))
; macro_rules! macros are visible after their definition, but a macro's body is read where it
; is invoked: a use inside another macro may name one defined further down. The original's
; order is kept in every state, so a use resolves to a definition anywhere.
((macro_definition name: (identifier) @local.definition) (#set! local.namespace "macro"))
((macro_invocation macro: (identifier) @local.reference) (#set! local.namespace "macro") (#set! local.resolve "anywhere"))
; A macro handed to another by name (`for_each_tuple!(bounded_tuple);`) is used there.
((source_file
   (macro_definition name: (identifier) @_d)
   [(macro_invocation (token_tree (identifier) @local.reference))
    (expression_statement (macro_invocation (token_tree (identifier) @local.reference)))])
 (#eq? @_d @local.reference)
 (#set! local.namespace "macro") (#set! local.resolve "anywhere") (#set! local.priority "1"))
; The types a macro's body declares exist wherever it is invoked (its top-level invocations stay
; while the macro does): `macro_rules! m { () => { pub enum ParseError { .. } } }`.
([(macro_rule right: (token_tree ["enum" "struct" "trait" "type" "union"] . (identifier) @local.definition.hoisted))
  (macro_rule right: (token_tree (token_tree ["enum" "struct" "trait" "type" "union"] . (identifier) @local.definition.hoisted)))]
 (#match? @local.definition.hoisted "^[A-Z]"))
; `thread_local! { static X: .. }` and `lazy_static! { static ref X: .. }` define statics.
((macro_invocation macro: (identifier) @_m
   (token_tree "static" . (identifier) @local.definition.hoisted . ":"))
 (#any-of? @_m "thread_local" "lazy_static"))
((macro_invocation macro: (identifier) @_m
   (token_tree "static" . (identifier) @_ref . (identifier) @local.definition.hoisted))
 (#eq? @_ref "ref") (#any-of? @_m "thread_local" "lazy_static"))
; Macro arguments are token trees: read the same uses there (`assert!(m!(x))`, `x.len()`,
; `x.f`, `Foo::new`), and in the repetitions of a macro's body (`$( not_zero_impl!($t, 0); )*`
; invokes the macro `not_zero_impl` wherever the outer macro is invoked).
([(token_tree (identifier) @local.reference . "!") (token_repetition (identifier) @local.reference . "!")]
 (#set! local.namespace "macro") (#set! local.resolve "anywhere"))
([(token_tree "." . (identifier) @local.reference) (token_repetition "." . (identifier) @local.reference)]
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))
([(token_tree "." . (identifier) @local.reference . (token_tree))
  (token_repetition "." . (identifier) @local.reference . (token_tree))]
 (#set! local.namespace "assoc") (#set! local.resolve "anywhere") (#set! local.priority "1"))
([(token_tree (identifier) @_p . "::" . (identifier) @local.reference)
  (token_repetition (identifier) @_p . "::" . (identifier) @local.reference)]
 (#match? @_p "^[A-Z]") (#not-eq? @_p "Self")
 (#set! local.namespace "assoc") (#set! local.namespace-from "_p") (#set! local.resolve "anywhere"))
([(token_tree (identifier) @_p . "::" . (identifier) @local.reference)
  (token_repetition (identifier) @_p . "::" . (identifier) @local.reference)]
 (#eq? @_p "Self") (#set! local.namespace "assoc") (#set! local.resolve "anywhere"))

(function_item name: (identifier) @local.definition.parent)
(function_signature_item name: (identifier) @local.definition.parent)
(struct_item name: (type_identifier) @local.definition.parent)
(enum_item name: (type_identifier) @local.definition.parent)
(union_item name: (type_identifier) @local.definition.parent)
(trait_item name: (type_identifier) @local.definition.parent)
(type_item name: (type_identifier) @local.definition.hoisted)
(const_item name: (identifier) @local.definition.hoisted)
(static_item name: (identifier) @local.definition.hoisted)
(mod_item name: (identifier) @local.definition.parent)
; `extern crate alloc;` (in `#![no_std]` crates) makes the crate's paths (`use alloc::vec::Vec`) resolve.
(extern_crate_declaration name: (identifier) @local.definition.hoisted !alias)
(extern_crate_declaration alias: (identifier) @local.definition.hoisted)
[(struct_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted.var)))
 (enum_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted.var)))
 (union_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted.var)))]
; A bound in a struct's or enum's where clause (`where I: Iterator`) is not a use of `I`.
([(struct_item (where_clause (where_predicate left: (type_identifier) @local.reference)))
  (enum_item (where_clause (where_predicate left: (type_identifier) @local.reference)))
  (union_item (where_clause (where_predicate left: (type_identifier) @local.reference)))]
 (#set! local.namespace "bound"))
; Lifetimes live in a namespace of their own; a struct's or enum's lifetime, like its type
; parameters, must be used by a field or variant (E0392).
([(struct_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted.var))))
  (enum_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted.var))))
  (union_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted.var))))]
 (#set! local.namespace "lifetime"))
([(function_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted))))
  (function_signature_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted))))
  (impl_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted))))
  (trait_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted))))
  (type_item (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted))))
  (higher_ranked_trait_bound (type_parameters (lifetime_parameter name: (lifetime (identifier) @local.definition.hoisted))))
  (for_lifetimes (lifetime (identifier) @local.definition.hoisted))]
 (#set! local.namespace "lifetime"))
([(reference_type (lifetime (identifier) @local.reference))
  (type_arguments (lifetime (identifier) @local.reference))
  (trait_bounds (lifetime (identifier) @local.reference))
  (where_predicate left: (lifetime (identifier) @local.reference))
  (bounded_type (lifetime (identifier) @local.reference))]
 (#set! local.namespace "lifetime"))
; A lifetime bound among a struct's or enum's parameters or in its where clause (`K: 'a`) is not a
; use of `'a` (E0392 all the same: linked-hash-map's `OccupiedEntry<'a, K: 'a, V: 'a, S: 'a>`).
([(struct_item (type_parameters (_ bounds: (trait_bounds (lifetime (identifier) @local.reference)))))
  (enum_item (type_parameters (_ bounds: (trait_bounds (lifetime (identifier) @local.reference)))))
  (union_item (type_parameters (_ bounds: (trait_bounds (lifetime (identifier) @local.reference)))))
  (struct_item (where_clause (where_predicate bounds: (trait_bounds (lifetime (identifier) @local.reference)))))
  (enum_item (where_clause (where_predicate bounds: (trait_bounds (lifetime (identifier) @local.reference)))))
  (union_item (where_clause (where_predicate bounds: (trait_bounds (lifetime (identifier) @local.reference)))))]
 (#set! local.namespace "bound") (#set! local.priority "1"))
(function_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(function_signature_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(impl_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(trait_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(type_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))

; use declarations bind the last segment of a path (or its alias).
; An import binds its name in every namespace: `use serde::serde_if_integer128;` imports a macro.
([(use_declaration argument: (identifier) @local.definition.import)
  (use_declaration argument: (scoped_identifier name: (identifier) @local.definition.import))
  (use_list (identifier) @local.definition.import)
  (use_list (scoped_identifier name: (identifier) @local.definition.import))
  (use_as_clause alias: (identifier) @local.definition.import)
  (scoped_use_list path: (identifier) @local.definition.import (use_list (self)))
  (scoped_use_list path: (scoped_identifier name: (identifier) @local.definition.import) (use_list (self)))]
 (#set! local.also-namespace "macro") (#set! local.priority "1"))
; A file that turns warnings into errors (`#![deny(warnings)]`, `#![deny(unused_imports)]`) rejects
; an import nothing uses: its top-level imports are definitions that need a use (the `unused` rule).
; Only the standard library's: an import rustc cannot resolve (another crate's, in a file alone)
; is never reported unused.
((source_file
   (inner_attribute_item (attribute (identifier) @_d arguments: (token_tree) @_a))
   (use_declaration argument: [(identifier) @local.definition.hoisted.var
                               (scoped_identifier name: (identifier) @local.definition.hoisted.var)
                               (use_as_clause alias: (identifier) @local.definition.hoisted.var)
                               (scoped_use_list list: (use_list [(identifier) @local.definition.hoisted.var
                                                                 (scoped_identifier name: (identifier) @local.definition.hoisted.var)
                                                                 (use_as_clause alias: (identifier) @local.definition.hoisted.var)]))]) @_u)
 (#match? @_u "^(pub([(][^)]*[)])? )?use (::)?(std|core|alloc)::")
 (#match? @_d "^(deny|forbid)$") (#match? @_a "\\b(warnings|unused|unused_imports)\\b")
 (#set! local.priority "2"))
; A module's import through the crate root (`use crate::{DateTime, Utc};`, `use super::X;`)
; needs the name at the top of the file.
((mod_item body: (declaration_list (use_declaration argument: [
    (scoped_identifier path: [(crate) (super)] name: (identifier) @local.definition.import)
    (scoped_use_list path: [(crate) (super)] list: (use_list [(identifier) @local.definition.import
                                                             (scoped_identifier name: (identifier) @local.definition.import)]))])))
 (#set! local.also-namespace "macro") (#set! local.also-reference "root") (#set! local.priority "2"))

; Patterns bind lower-case names; `None`, `Some(..)`, `Color::Red` and constants are uses.
(((parameter pattern: [(identifier) @local.definition.hoisted
                       (_ (identifier) @local.definition.hoisted)
                       (_ (_ (identifier) @local.definition.hoisted))
                       (_ (_ (_ (identifier) @local.definition.hoisted)))
                       (_ (_ (shorthand_field_identifier) @local.definition.hoisted))]))
 (#match? @local.definition.hoisted "^[a-z_]"))
(((closure_parameters [(identifier) @local.definition.hoisted
                       (_ (identifier) @local.definition.hoisted)
                       (_ (_ (identifier) @local.definition.hoisted))
                       (_ (_ (_ (identifier) @local.definition.hoisted)))]))
 (#match? @local.definition.hoisted "^[a-z_]"))

; A `let` binds its names after the statement (`let n = n + 1` reads an older n), `if let` /
; `while let` after their condition, `for` after the iterated value (`for x in x`). Or-patterns
; nest deep: `let (Ok(mut x) | &Err(mut x)) = res;` binds `x` five levels down,
; `let (Tri::A(Ok(mut x) | Err(mut x)) | Tri::B(..)) = tri;` seven.
((let_declaration pattern: [(identifier) @local.definition
                            (_ (identifier) @local.definition)
                            (_ (_ (identifier) @local.definition))
                            (_ (_ (_ (identifier) @local.definition)))
                            (_ (_ (_ (_ (identifier) @local.definition))))
                            (_ (_ (_ (_ (_ (identifier) @local.definition)))))
                            (_ (_ (_ (_ (_ (_ (identifier) @local.definition))))))
                            (_ (_ (_ (_ (_ (_ (_ (identifier) @local.definition)))))))
                            (_ (_ (shorthand_field_identifier) @local.definition))])
 (#match? @local.definition "^[a-z_]") (#set! local.visible-after "let_declaration"))
((let_condition pattern: [(identifier) @local.definition
                          (_ (identifier) @local.definition)
                          (_ (_ (identifier) @local.definition))
                          (_ (_ (_ (identifier) @local.definition)))
                          (_ (_ (_ (_ (identifier) @local.definition))))
                          (_ (_ (_ (_ (_ (identifier) @local.definition)))))
                          (_ (_ (_ (_ (_ (_ (identifier) @local.definition))))))
                          (_ (_ (_ (_ (_ (_ (_ (identifier) @local.definition)))))))
                          (_ (_ (shorthand_field_identifier) @local.definition))])
 (#match? @local.definition "^[a-z_]") (#set! local.visible-after "let_condition"))
((for_expression pattern: [(identifier) @local.definition
                           (_ (identifier) @local.definition)
                           (_ (_ (identifier) @local.definition))
                           (_ (_ (_ (identifier) @local.definition)))
                           (_ (_ (_ (_ (identifier) @local.definition))))])
 (#match? @local.definition "^[a-z_]") (#set! local.visible-after "for_expression.value"))
; (The pattern, not its `if` guard: `None if is_dir =>` reads `is_dir`.)
((match_pattern . [(identifier) @local.definition
                 (_ (identifier) @local.definition)
                 (_ (_ (identifier) @local.definition))
                 (_ (_ (_ (identifier) @local.definition)))
                 (_ (_ (_ (_ (identifier) @local.definition))))
                 (_ (_ (_ (_ (_ (identifier) @local.definition)))))
                 (_ (_ (_ (_ (_ (_ (identifier) @local.definition))))))
                 (_ (_ (_ (_ (_ (_ (_ (identifier) @local.definition)))))))
                 (_ (_ (shorthand_field_identifier) @local.definition))])
 (#match? @local.definition "^[a-z_]"))

(identifier) @local.reference
(type_identifier) @local.reference

; Format strings name their arguments inline: `format!("{sum:b}")` reads `sum` (`{{` escapes).
((macro_invocation
   macro: (identifier) @_m
   (token_tree (string_literal (string_content) @local.reference)))
 (#any-of? @_m "format" "print" "println" "eprint" "eprintln" "write" "writeln" "panic" "format_args")
 (#set! local.names "(?<![{])[{]([A-Za-z_][A-Za-z0-9_]*)(?:[:][^}]*)?[}]"))
