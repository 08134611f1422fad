; inherits: ecma
; TypeScript adds typed parameters, interfaces, type aliases and enums.
(required_parameter pattern: (identifier) @local.definition.hoisted)
(optional_parameter pattern: (identifier) @local.definition.hoisted)
(required_parameter pattern: (rest_pattern (identifier) @local.definition.hoisted))
(required_parameter pattern: (array_pattern (identifier) @local.definition.hoisted))
(arrow_function parameter: (identifier) @local.definition.hoisted)
(interface_declaration name: (type_identifier) @local.definition.hoisted)
(type_alias_declaration name: (type_identifier) @local.definition.hoisted)
(enum_declaration name: (identifier) @local.definition.hoisted)
(type_parameter name: (type_identifier) @local.definition.hoisted)

(type_identifier) @local.reference

; Class members live in their own namespace, reached through `this.`.
((public_field_definition name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((method_definition name: (property_identifier) @local.definition.parent) (#set! local.namespace "member"))
((required_parameter (accessibility_modifier) pattern: (identifier) @local.definition.parent) (#set! local.namespace "member"))
((member_expression object: (this) property: (property_identifier) @local.reference) (#set! local.namespace "member"))
