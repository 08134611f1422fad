; Python: names bound anywhere in a function (or the module) are visible in all of it,
; as pylint's undefined-variable check sees them.
(module) @local.scope
(function_definition) @local.scope
(lambda) @local.scope
(list_comprehension) @local.scope
(set_comprehension) @local.scope
(dictionary_comprehension) @local.scope
(generator_expression) @local.scope

(function_definition name: (identifier) @local.definition.parent)
(class_definition name: (identifier) @local.definition.hoisted)
(parameters (identifier) @local.definition.hoisted)
(parameters (default_parameter name: (identifier) @local.definition.hoisted))
(parameters (typed_parameter (identifier) @local.definition.hoisted))
(parameters (typed_default_parameter name: (identifier) @local.definition.hoisted))
(parameters (list_splat_pattern (identifier) @local.definition.hoisted))
(parameters (dictionary_splat_pattern (identifier) @local.definition.hoisted))
(lambda_parameters (identifier) @local.definition.hoisted)

; A plain assignment binds its name after the statement (`x = f(x)` reads an older x).
((assignment left: (identifier) @local.definition) (#set! local.visible-after "parent"))
((assignment left: (pattern_list (identifier) @local.definition)) (#set! local.visible-after "assignment"))
((assignment left: (tuple_pattern (identifier) @local.definition)) (#set! local.visible-after "assignment"))
((assignment left: (list_pattern (identifier) @local.definition)) (#set! local.visible-after "assignment"))
(augmented_assignment left: (identifier) @local.reference)
(for_statement left: (identifier) @local.definition.hoisted)
(for_statement left: (pattern_list (identifier) @local.definition.hoisted))
(for_statement left: (tuple_pattern (identifier) @local.definition.hoisted))
(for_in_clause left: (identifier) @local.definition.hoisted)
(for_in_clause left: (pattern_list (identifier) @local.definition.hoisted))
(for_in_clause left: (tuple_pattern (identifier) @local.definition.hoisted))
(with_item value: (as_pattern alias: (as_pattern_target (identifier) @local.definition.hoisted)))
(except_clause (as_pattern alias: (as_pattern_target (identifier) @local.definition.hoisted)))
(named_expression name: (identifier) @local.definition.hoisted)
(global_statement (identifier) @local.definition.hoisted)
(nonlocal_statement (identifier) @local.definition.hoisted)

(import_statement name: (dotted_name . (identifier) @local.definition.hoisted))
(import_statement name: (aliased_import alias: (identifier) @local.definition.hoisted))
(import_from_statement name: (dotted_name (identifier) @local.definition.hoisted))
(import_from_statement name: (aliased_import alias: (identifier) @local.definition.hoisted))

(identifier) @local.reference
