; inherits: ecma
; TypeScript adds typed parameters, interfaces, type aliases and enums.
(required_parameter pattern: (identifier) @local.definition.hoisted)
(optional_parameter pattern: (identifier) @local.definition.hoisted)
(required_parameter pattern: (rest_pattern (identifier) @local.definition.hoisted))
(required_parameter pattern: (array_pattern (identifier) @local.definition.hoisted))
(arrow_function parameter: (identifier) @local.definition.hoisted)
; `var` is function-scoped: declared in a block (`try { var r = f(); } catch {}`), it is
; visible in the whole function around it (`r.done` after the `try`).
((variable_declaration (variable_declarator name: (identifier) @local.definition.hoisted))
 (#set! local.scope-of "function_declaration function_expression generator_function_declaration generator_function arrow_function method_definition program"))

; Types and values are separate namespaces: `type X = typeof X` reads the value `X`, and a
; value cannot name an interface. Interfaces, type aliases and type parameters are types only;
; classes, enums and imports (which may be either) are both. A declaration's name outranks
; the type reference pattern below.
((interface_declaration name: (type_identifier) @local.definition.hoisted) (#set! local.namespace "type") (#set! local.priority "1"))
((type_alias_declaration name: (type_identifier) @local.definition.hoisted) (#set! local.namespace "type") (#set! local.priority "1"))
((type_parameter name: (type_identifier) @local.definition.hoisted) (#set! local.namespace "type") (#set! local.priority "1"))
((enum_declaration name: (identifier) @local.definition.hoisted) (#set! local.also-namespace "type") (#set! local.priority "1"))
((class_declaration name: (_) @local.definition.hoisted) (#set! local.also-namespace "type") (#set! local.priority "1"))
((abstract_class_declaration name: (_) @local.definition.hoisted) (#set! local.also-namespace "type") (#set! local.priority "1"))
((import_specifier name: (identifier) @local.definition.hoisted) (#set! local.also-namespace "type") (#set! local.priority "1"))
; `import { ChannelRef as Message }` binds `Message` only: the imported name goes to a namespace
; nothing reads, so it cannot stand in for a local `ChannelRef`.
((import_specifier name: (identifier) @local.definition.hoisted alias: (identifier))
 (#set! local.namespace "imported") (#set! local.priority "2"))
((import_specifier alias: (identifier) @local.definition.hoisted) (#set! local.also-namespace "type") (#set! local.priority "1"))
((import_clause (identifier) @local.definition.hoisted) (#set! local.also-namespace "type") (#set! local.priority "1"))
((namespace_import (identifier) @local.definition.hoisted) (#set! local.also-namespace "type") (#set! local.priority "1"))

((type_identifier) @local.reference (#set! local.namespace "type"))

; Class members live in their own namespace, reached through `this.`.
((public_field_definition name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
; A static field is read through its class (`Scheduler.now`), never as `this.now` in a
; constructor: an instance field of the same name must be the one `this.now = now` assigns.
((public_field_definition "static" name: (property_identifier) @local.definition.hoisted)
 (#set! local.namespace "static") (#set! local.priority "1"))
((method_definition name: (property_identifier) @local.definition.parent) (#set! local.namespace "member"))
((required_parameter (accessibility_modifier) pattern: (identifier) @local.definition.parent) (#set! local.namespace "member"))
((member_expression object: (this) property: (property_identifier) @local.reference) (#set! local.namespace "member"))

; Private names (`#key`) resolve lexically, to a declaration of an enclosing class.
((public_field_definition name: (private_property_identifier) @local.definition.hoisted) (#set! local.namespace "private"))
((method_definition name: (private_property_identifier) @local.definition.parent) (#set! local.namespace "private"))
((member_expression property: (private_property_identifier) @local.reference) (#set! local.namespace "private"))

; Members used through any object (`q.add(...)`, `shape.area()`) must still be declared by
; some class, interface, object type or enum of the program; names no declaration of the
; original has (library members such as `console.log`) are absorbed by the sampler's baseline.
((property_signature name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((method_signature name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
; An object type is a scope of its own: the members of a parameter's type (`constructor({ url }:
; { url: string })`) are reached through objects of that type (`obj.url` resolves anywhere),
; never as `this.url`, which needs the class's own field.
(object_type) @local.scope
((enum_body (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((enum_assignment name: (property_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((member_expression
   object: [(identifier) (member_expression) (call_expression) (subscript_expression)
            (parenthesized_expression) (non_null_expression)]
   property: (property_identifier) @local.reference)
 (#set! local.namespace "member") (#set! local.resolve "anywhere"))

; `Panel.IOptions`, `Private.createNode()`, `DockPanel.Overlay`, `Color.Red`: a capitalized
; qualifier names a namespace, a class or an enum, so the member is a namespace's export, a
; static member or an enum member: a definition of that name in any scope and namespace.
((nested_type_identifier name: (type_identifier) @local.reference)
 (#set! local.resolve "any-namespace") (#set! local.priority "1"))
; When the qualifier is a namespace of the file, the member must be one of its own exports:
; `Private.resolve(c)` is also a use of `resolve` in the namespace "ns:Private", which a method
; `resolve` of some class does not define (tsc: "Property 'resolve' does not exist on type
; 'typeof Private'"). A class, enum or library qualifier defines no such namespace: the original
; leaves that use unresolved, and the sampler's baseline absorbs it.
((member_expression object: (identifier) @_qualifier property: (property_identifier) @local.reference)
 (#match? @_qualifier "^[A-Z]")
 (#set! local.namespace "member") (#set! local.resolve "any-namespace") (#set! local.priority "1")
 (#set! local.also-namespace "ns:{_qualifier}"))
((internal_module name: (identifier) @_ns
   body: (statement_block (export_statement declaration: [
     (function_declaration name: (identifier) @local.definition.parent)
     (generator_function_declaration name: (identifier) @local.definition.parent)])))
 (#set! local.also-namespace "ns:{_ns}"))
((internal_module name: (identifier) @_ns
   body: (statement_block (export_statement declaration: (lexical_declaration
     (variable_declarator name: (identifier) @local.definition.hoisted)))))
 (#set! local.also-namespace "ns:{_ns}"))
; ... and so must a qualified type (`Event.Stream`): the namespace's own type alias, interface,
; class or enum, not an imported `Stream` (tsc: "Namespace 'Event' has no exported member
; 'Stream'").
((nested_type_identifier module: (identifier) @_qualifier name: (type_identifier) @local.reference)
 (#match? @_qualifier "^[A-Z]")
 (#set! local.resolve "any-namespace") (#set! local.priority "2") (#set! local.also-namespace "ns:{_qualifier}"))
((internal_module name: (identifier) @_ns
   body: (statement_block (export_statement declaration: [
     (type_alias_declaration name: (type_identifier) @local.definition.hoisted)
     (interface_declaration name: (type_identifier) @local.definition.hoisted)])))
 (#set! local.namespace "type") (#set! local.priority "2") (#set! local.also-namespace "ns:{_ns}"))
((internal_module name: (identifier) @_ns
   body: (statement_block (export_statement declaration: [
     (class_declaration name: (_) @local.definition.hoisted)
     (abstract_class_declaration name: (_) @local.definition.hoisted)
     (enum_declaration name: (identifier) @local.definition.hoisted)])))
 (#set! local.priority "2") (#set! local.also-namespace "type ns:{_ns}"))
(internal_module name: (identifier) @local.definition.hoisted)
(module name: (identifier) @local.definition.hoisted)

; Parameters of signatures without a body (`(mark: Mark) => boolean`, interface methods,
; overloads) name nothing outside their parameter list.
(function_type parameters: (formal_parameters) @local.scope)
(constructor_type parameters: (formal_parameters) @local.scope)
(method_signature parameters: (formal_parameters) @local.scope)
(call_signature parameters: (formal_parameters) @local.scope)
(construct_signature parameters: (formal_parameters) @local.scope)
(function_signature parameters: (formal_parameters) @local.scope)
(abstract_method_signature parameters: (formal_parameters) @local.scope)

; Parameter properties declared with `readonly` or `override` alone are members too.
((required_parameter "readonly" pattern: (identifier) @local.definition.parent) (#set! local.namespace "member"))
((required_parameter (override_modifier) pattern: (identifier) @local.definition.parent) (#set! local.namespace "member"))

; A namespace merged with a function of its name (`function injectable() {}` and `namespace
; injectable { export function provider() {} }`) has a lowercase qualifier: `injectable.provider`
; needs the namespace's own export there too. Other lowercase qualifiers (variables,
; parameters, imports) define no such namespace: the original leaves that use unresolved, and
; the sampler's baseline absorbs it.
((member_expression object: (identifier) @_qualifier property: (property_identifier) @local.reference)
 (#not-match? @_qualifier "^[A-Z]")
 (#set! local.namespace "member") (#set! local.resolve "anywhere") (#set! local.priority "1")
 (#set! local.also-namespace "ns:{_qualifier}"))

; `export default Builder;` exports whatever the name is: a value, or else a type (a type
; alias, an interface): "Cannot find name 'Builder'" once neither is left.
((export_statement value: (identifier) @local.reference)
 (#set! local.resolve "any-namespace") (#set! local.priority "1"))
