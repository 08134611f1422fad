; Ruby: methods, blocks and classes open scopes; locals are visible after assignment.
(method) @local.scope
(singleton_method) @local.scope
(class) @local.scope
(module) @local.scope
(block) @local.scope
(do_block) @local.scope
(lambda) @local.scope

(method name: (_) @local.definition.parent)
(singleton_method name: (_) @local.definition.parent)
(method_parameters (identifier) @local.definition.hoisted)
(method_parameters (optional_parameter name: (identifier) @local.definition.hoisted))
(method_parameters (keyword_parameter name: (identifier) @local.definition.hoisted))
(method_parameters (splat_parameter name: (identifier) @local.definition.hoisted))
(method_parameters (block_parameter name: (identifier) @local.definition.hoisted))
(block_parameters (identifier) @local.definition.hoisted)
(block_parameters (destructured_parameter (identifier) @local.definition.hoisted))
(lambda_parameters (identifier) @local.definition.hoisted)
(exception_variable (identifier) @local.definition)

(assignment left: (identifier) @local.definition)
(assignment left: (left_assignment_list (identifier) @local.definition))
(operator_assignment left: (identifier) @local.definition)
(for pattern: (identifier) @local.definition)

(identifier) @local.reference
