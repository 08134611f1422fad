; JavaScript and TypeScript: declarations are treated as visible in their whole scope
; (function hoisting; let/const order is a run-time matter that `node --check` ignores).
(program) @local.scope
(function_declaration) @local.scope
(function_expression) @local.scope
(generator_function_declaration) @local.scope
(arrow_function) @local.scope
(method_definition) @local.scope
(statement_block) @local.scope
(for_statement) @local.scope
(for_in_statement) @local.scope
(catch_clause) @local.scope
(class_body) @local.scope

(function_declaration name: (identifier) @local.definition.parent)
(generator_function_declaration name: (identifier) @local.definition.parent)
(function_expression name: (identifier) @local.definition.hoisted)
(class_declaration name: (_) @local.definition.hoisted)

(variable_declarator name: (identifier) @local.definition.hoisted)
(variable_declarator name: (array_pattern (identifier) @local.definition.hoisted))
(variable_declarator name: (object_pattern (shorthand_property_identifier_pattern) @local.definition.hoisted))
(variable_declarator name: (object_pattern (pair_pattern value: (identifier) @local.definition.hoisted)))
(for_in_statement left: (identifier) @local.definition.hoisted)
(for_in_statement left: (array_pattern (identifier) @local.definition.hoisted))
(catch_clause parameter: (identifier) @local.definition.hoisted)

; Destructuring binds every name of its pattern, at any depth, with defaults (`{ a = 1 }`,
; `{ k: v = {} }`, `[x = 0]`), renames and rests.
(object_pattern (shorthand_property_identifier_pattern) @local.definition.hoisted)
(object_assignment_pattern left: (shorthand_property_identifier_pattern) @local.definition.hoisted)
(pair_pattern value: (identifier) @local.definition.hoisted)
(pair_pattern value: (assignment_pattern left: (identifier) @local.definition.hoisted))
(rest_pattern (identifier) @local.definition.hoisted)
(array_pattern (identifier) @local.definition.hoisted)
(array_pattern (assignment_pattern left: (identifier) @local.definition.hoisted))
; ... except in a destructuring assignment (`[a, b] = [b, a]`), which writes names declared
; elsewhere: the property makes these captures references.
((assignment_expression left: (array_pattern (identifier) @local.reference)) (#set! local.resolve "scope"))
((assignment_expression left: (object_pattern (shorthand_property_identifier_pattern) @local.reference))
 (#set! local.resolve "scope"))
((assignment_expression left: (object_pattern (pair_pattern value: (identifier) @local.reference)))
 (#set! local.resolve "scope"))
; A name with a default in such an assignment (`({ start = ZERO, end } = options)`) writes a
; declared name too (tsc: "No value exists in scope for the shorthand property 'start'").
((assignment_expression left: (object_pattern (object_assignment_pattern left: (shorthand_property_identifier_pattern) @local.reference)))
 (#set! local.resolve "scope"))
((assignment_expression left: (array_pattern (assignment_pattern left: (identifier) @local.reference)))
 (#set! local.resolve "scope"))


(import_specifier name: (identifier) @local.definition.hoisted)
(import_specifier alias: (identifier) @local.definition.hoisted)
(import_clause (identifier) @local.definition.hoisted)
(namespace_import (identifier) @local.definition.hoisted)

(identifier) @local.reference
(shorthand_property_identifier) @local.reference
