; C: block scoping, declare-before-use everywhere (C has no hoisting).
(function_definition) @local.scope
(compound_statement) @local.scope
(for_statement) @local.scope

; A function's name belongs to the enclosing scope, from its declarator on.
(function_declarator declarator: (identifier) @local.definition.parent.ordered)

; Parameters are visible in the whole function.
(parameter_declaration declarator: (identifier) @local.definition.hoisted)
(parameter_declaration declarator: (_ declarator: (identifier) @local.definition.hoisted))
(parameter_declaration declarator: (_ declarator: (_ declarator: (identifier) @local.definition.hoisted)))

; Variables, after their declarator.
(declaration declarator: (identifier) @local.definition)
(declaration declarator: (pointer_declarator declarator: (identifier) @local.definition))
(declaration declarator: (array_declarator declarator: (identifier) @local.definition))
(init_declarator declarator: (identifier) @local.definition)
(init_declarator declarator: (pointer_declarator declarator: (identifier) @local.definition))
(init_declarator declarator: (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @local.definition)))
(init_declarator declarator: (array_declarator declarator: (identifier) @local.definition))

; Types, enumerators and macros.
; `struct s { ... }` defines s; a bare `struct s` refers to it.
(struct_specifier name: (type_identifier) @local.definition body: (_))
(union_specifier name: (type_identifier) @local.definition body: (_))
(enum_specifier name: (type_identifier) @local.definition body: (_))
(type_definition declarator: (type_identifier) @local.definition)
(enumerator name: (identifier) @local.definition)
(preproc_def name: (identifier) @local.definition)
(preproc_function_def name: (identifier) @local.definition)
(preproc_params (identifier) @local.definition.hoisted)

; Struct members live in their own namespace, reached through `.` and `->`.
((field_declaration declarator: (field_identifier) @local.definition.hoisted) (#set! local.namespace "field"))
((field_declaration declarator: (_ declarator: (field_identifier) @local.definition.hoisted)) (#set! local.namespace "field"))
((field_declaration declarator: (_ declarator: (_ declarator: (field_identifier) @local.definition.hoisted))) (#set! local.namespace "field"))
((field_expression field: (field_identifier) @local.reference) (#set! local.namespace "field"))

(identifier) @local.reference
(type_identifier) @local.reference
