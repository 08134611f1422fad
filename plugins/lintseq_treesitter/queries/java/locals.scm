; Java: members of a class are visible in the whole body; locals after their declaration.
(class_body) @local.scope
(interface_body) @local.scope
(enum_body) @local.scope
(method_declaration) @local.scope
(constructor_declaration) @local.scope
(lambda_expression) @local.scope
(block) @local.scope
(for_statement) @local.scope
(enhanced_for_statement) @local.scope
(catch_clause) @local.scope
(switch_block_statement_group) @local.scope

(class_declaration name: (identifier) @local.definition.hoisted)
(interface_declaration name: (identifier) @local.definition.hoisted)
(enum_declaration name: (identifier) @local.definition.hoisted)
(record_declaration name: (identifier) @local.definition.hoisted)
; Methods live in their own namespace: a variable named like a method is another name.
((method_declaration name: (identifier) @local.definition.parent) (#set! local.namespace "method"))
((method_invocation !object name: (identifier) @local.reference) (#set! local.namespace "method"))
; `Type.method(...)` / `obj.method(...)`: some class of the program must still declare it
; (a method of a local class is not in scope where it is called through the class).
((method_invocation object: (_) name: (identifier) @local.reference)
 (#set! local.namespace "method") (#set! local.resolve "anywhere"))
(constructor_declaration name: (identifier) @local.definition.parent)
(field_declaration declarator: (variable_declarator name: (identifier) @local.definition.hoisted))
(enum_constant name: (identifier) @local.definition.hoisted)
(type_parameter (type_identifier) @local.definition.hoisted)

(formal_parameter name: (identifier) @local.definition.hoisted)
(spread_parameter (variable_declarator name: (identifier) @local.definition.hoisted))
(catch_formal_parameter name: (identifier) @local.definition.hoisted)
(lambda_expression parameters: (identifier) @local.definition.hoisted)
(inferred_parameters (identifier) @local.definition.hoisted)

((local_variable_declaration declarator: (variable_declarator name: (identifier) @local.definition))
 (#set! local.visible-after "parent"))
(enhanced_for_statement name: (identifier) @local.definition)

(import_declaration (scoped_identifier name: (identifier) @local.definition.import))

(identifier) @local.reference
(type_identifier) @local.reference
