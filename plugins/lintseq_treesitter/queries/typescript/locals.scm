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

; Members used through any object (`q.add(...)`, `shape.area()`) must still be declared by
; some class, interface, object type or enum of the program; names no declaration of the
; original has (library members such as `console.log`) are absorbed by the sampler's baseline.
((property_signature name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((method_signature name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((enum_body (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((enum_assignment name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((member_expression
   object: [(identifier) (member_expression) (call_expression) (subscript_expression)
            (parenthesized_expression) (non_null_expression)]
   property: (property_identifier) @local.reference)
 (#set! local.namespace "member") (#set! local.resolve "anywhere"))
