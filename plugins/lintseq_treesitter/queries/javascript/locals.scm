; inherits: ecma
; Plain JavaScript parameters (TypeScript wraps them in required_parameter).
(formal_parameters (identifier) @local.definition.hoisted)
(formal_parameters (assignment_pattern left: (identifier) @local.definition.hoisted))
(formal_parameters (rest_pattern (identifier) @local.definition.hoisted))
(formal_parameters (array_pattern (identifier) @local.definition.hoisted))
(formal_parameters (object_pattern (shorthand_property_identifier_pattern) @local.definition.hoisted))
(arrow_function parameter: (identifier) @local.definition.hoisted)

; Private names (`#key`) must be declared by an enclosing class (an early SyntaxError).
((field_definition property: (private_property_identifier) @local.definition.hoisted) (#set! local.namespace "private"))
((method_definition name: (private_property_identifier) @local.definition.parent) (#set! local.namespace "private"))
((member_expression property: (private_property_identifier) @local.reference) (#set! local.namespace "private"))
