; inherits: c
; C++ adds namespaces, classes (members visible in the whole class), templates,
; references, range-for and lambdas to the C rules.
(lambda_expression) @local.scope
(for_range_loop) @local.scope
(field_declaration_list) @local.scope
(template_declaration) @local.scope
(namespace_definition) @local.scope

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
(alias_declaration name: (type_identifier) @local.definition)
(namespace_definition name: (namespace_identifier) @local.definition.parent)
(type_parameter_declaration (type_identifier) @local.definition.hoisted)
(optional_type_parameter_declaration name: (type_identifier) @local.definition.hoisted)

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
((field_expression field: (field_identifier) @local.reference)
 (#set! local.namespace "field") (#set! local.resolve "anywhere") (#set! local.priority "1"))

(namespace_identifier) @local.reference
