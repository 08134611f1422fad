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

(function_item name: (identifier) @local.definition.parent)
(function_signature_item name: (identifier) @local.definition.parent)
(struct_item name: (type_identifier) @local.definition.parent)
(enum_item name: (type_identifier) @local.definition.parent)
(union_item name: (type_identifier) @local.definition.parent)
(trait_item name: (type_identifier) @local.definition.hoisted)
(type_item name: (type_identifier) @local.definition.hoisted)
(const_item name: (identifier) @local.definition.hoisted)
(static_item name: (identifier) @local.definition.hoisted)
(mod_item name: (identifier) @local.definition.hoisted)
(enum_variant name: (identifier) @local.definition.parent)
[(struct_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted.var)))
 (enum_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted.var)))
 (union_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted.var)))]
(function_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(function_signature_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(impl_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(trait_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))
(type_item (type_parameters (type_parameter name: (type_identifier) @local.definition.hoisted)))

; use declarations bind the last segment of a path (or its alias).
(use_declaration argument: (identifier) @local.definition.import)
(use_declaration argument: (scoped_identifier name: (identifier) @local.definition.import))
(use_list (identifier) @local.definition.import)
(use_list (scoped_identifier name: (identifier) @local.definition.import))
(use_as_clause alias: (identifier) @local.definition.import)
(scoped_use_list path: (identifier) @local.definition.import (use_list (self)))
(scoped_use_list path: (scoped_identifier name: (identifier) @local.definition.import) (use_list (self)))

(parameter pattern: (identifier) @local.definition.hoisted)
(parameter pattern: (mut_pattern (identifier) @local.definition.hoisted))
(parameter pattern: (_ (identifier) @local.definition.hoisted))
(closure_parameters (identifier) @local.definition.hoisted)
(closure_parameters (_ (identifier) @local.definition.hoisted))
(closure_parameters (_ (_ (identifier) @local.definition.hoisted)))

(let_declaration pattern: (identifier) @local.definition)
(let_declaration pattern: (mut_pattern (identifier) @local.definition))
(let_declaration pattern: (tuple_pattern (identifier) @local.definition))
(let_declaration pattern: (tuple_pattern (mut_pattern (identifier) @local.definition)))
(let_declaration pattern: (_ (_ (identifier) @local.definition)))
(let_condition pattern: (_ (identifier) @local.definition))
(let_condition pattern: (_ (_ (identifier) @local.definition)))
(for_expression pattern: (identifier) @local.definition)
(for_expression pattern: (_ (identifier) @local.definition))
(for_expression pattern: (_ (_ (identifier) @local.definition)))
(match_pattern (identifier) @local.definition)
(match_pattern (_ (identifier) @local.definition))
(match_pattern (_ (_ (identifier) @local.definition)))

(identifier) @local.reference
(type_identifier) @local.reference

; Format strings name their arguments inline: `format!("{sum:b}")` reads `sum` (`{{` escapes).
((macro_invocation
   macro: (identifier) @_m
   (token_tree (string_literal (string_content) @local.reference)))
 (#any-of? @_m "format" "print" "println" "eprint" "eprintln" "write" "writeln" "panic" "format_args")
 (#set! local.names "(?<![{])[{]([A-Za-z_][A-Za-z0-9_]*)(?:[:][^}]*)?[}]"))
