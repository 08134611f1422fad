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
(alias_declaration name: (type_identifier) @local.definition)
(namespace_definition name: (namespace_identifier) @local.definition.parent)
(type_parameter_declaration (type_identifier) @local.definition.hoisted)
(optional_type_parameter_declaration name: (type_identifier) @local.definition.hoisted)

; Members: visible in the whole class body, in any order.
(field_declaration_list (function_definition declarator: (function_declarator declarator: (field_identifier) @local.definition.hoisted)))
(field_declaration_list (field_declaration declarator: (function_declarator declarator: (field_identifier) @local.definition.hoisted)))

(namespace_identifier) @local.reference
