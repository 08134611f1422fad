; Scopes: functions, blocks and the statements that open a scope of their own.
(function_declaration) @local.scope
(method_declaration) @local.scope
(func_literal) @local.scope
(block) @local.scope
(if_statement) @local.scope
(for_statement) @local.scope
(expression_switch_statement) @local.scope
(type_switch_statement) @local.scope
(expression_case) @local.scope
(default_case) @local.scope
(type_case) @local.scope

; Package-level declarations are visible in the whole file, in any order.
(function_declaration name: (identifier) @local.definition.parent)
(method_declaration name: (field_identifier) @local.definition.parent)
(source_file (type_declaration (type_spec name: (type_identifier) @local.definition.hoisted)))
(source_file (type_declaration (type_alias name: (type_identifier) @local.definition.hoisted)))
(source_file (var_declaration (var_spec name: (identifier) @local.definition.hoisted)))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @local.definition.hoisted))))
(source_file (const_declaration (const_spec name: (identifier) @local.definition.hoisted)))
(import_spec name: (package_identifier) @local.definition.import)
(import_spec !name path: (_) @local.definition.import)

; Parameters and receivers.
(parameter_declaration name: (identifier) @local.definition.hoisted)
(variadic_parameter_declaration name: (identifier) @local.definition.hoisted)

; Local variables must be used: "declared and not used" is a compile error.
(short_var_declaration left: (expression_list (identifier) @local.definition.var))
(range_clause left: (expression_list (identifier) @local.definition.var))
(statement_list (var_declaration (var_spec name: (identifier) @local.definition.var)))
(statement_list (var_declaration (var_spec_list (var_spec name: (identifier) @local.definition.var))))
(statement_list (const_declaration (const_spec name: (identifier) @local.definition)))
(statement_list (type_declaration (type_spec name: (type_identifier) @local.definition)))
(type_switch_statement alias: (expression_list (identifier) @local.definition))
(labeled_statement label: (label_name) @local.definition.hoisted)

; A plain assignment writes a variable without using it (gc counts `+=` and `++` as uses).
(assignment_statement left: (expression_list (identifier) @local.reference.write) operator: "=")

(identifier) @local.reference
(type_identifier) @local.reference
(package_identifier) @local.reference
