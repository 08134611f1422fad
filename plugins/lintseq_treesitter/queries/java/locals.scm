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

; Types, fields and enum constants are also members: `this.x`, `Outer.Inner`, `Color.RED`.
((class_declaration name: (identifier) @local.definition.hoisted) (#set! local.also-namespace "field"))
((interface_declaration name: (identifier) @local.definition.hoisted) (#set! local.also-namespace "field"))
((enum_declaration name: (identifier) @local.definition.hoisted) (#set! local.also-namespace "field"))
((record_declaration name: (identifier) @local.definition.hoisted) (#set! local.also-namespace "field"))
; Methods live in their own namespace: a variable named like a method is another name.
((method_declaration name: (identifier) @local.definition.parent) (#set! local.namespace "method"))
((method_invocation !object name: (identifier) @local.reference) (#set! local.namespace "method"))
; `Type.method(...)` / `obj.method(...)`: some class of the program must still declare it
; (a method of a local class is not in scope where it is called through the class).
((method_invocation object: (_) name: (identifier) @local.reference)
 (#set! local.namespace "method") (#set! local.resolve "anywhere"))
(constructor_declaration name: (identifier) @local.definition.parent)
; Instance fields are out of reach from static methods and static nested types.
((field_declaration declarator: (variable_declarator name: (identifier) @local.definition.hoisted))
 (#set! local.also-namespace "field") (#set! local.instance "true"))
((field_declaration (modifiers) @_m declarator: (variable_declarator name: (identifier) @local.definition.hoisted))
 (#match? @_m "static") (#set! local.also-namespace "field") (#set! local.priority "1"))
((method_declaration (modifiers) @_m) @local.scope (#match? @_m "static") (#set! local.scope-barrier "true"))
((class_declaration (modifiers) @_m body: (class_body) @local.scope)
 (#match? @_m "static") (#set! local.scope-barrier "true"))
([(interface_body) (enum_body)] @local.scope (#set! local.scope-barrier "true"))
((record_declaration body: (class_body) @local.scope) (#set! local.scope-barrier "true"))
((enum_constant name: (identifier) @local.definition.hoisted) (#set! local.also-namespace "field"))
((record_declaration parameters: (formal_parameters (formal_parameter name: (identifier) @local.definition.hoisted)))
 (#set! local.also-namespace "field"))
; `this.x`, `obj.x`, `Type.X`: some type of the program must still declare a member x (the
; scope chain would find a parameter named like the field a constructor assigns).
((field_access field: (identifier) @local.reference)
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))
; `this.x` needs a field of the enclosing class itself (another class's `x` will not do).
((field_access object: (this) field: (identifier) @local.reference)
 (#set! local.namespace "field") (#set! local.priority "1"))
(type_parameter (type_identifier) @local.definition.hoisted)

(formal_parameter name: (identifier) @local.definition.hoisted)
(spread_parameter (variable_declarator name: (identifier) @local.definition.hoisted))
(catch_formal_parameter name: (identifier) @local.definition.hoisted)
(lambda_expression parameters: (identifier) @local.definition.hoisted)
(inferred_parameters (identifier) @local.definition.hoisted)

((local_variable_declaration declarator: (variable_declarator name: (identifier) @local.definition))
 (#set! local.visible-after "parent"))
(enhanced_for_statement name: (identifier) @local.definition)
; Pattern variables (`o instanceof T t`, `case T t ->`, `R(int a)`): visible after the pattern
; in the enclosing scope (javac's flow scoping is narrower: `if (!(o instanceof T t)) return;`
; leaves `t` in scope after the `if`).
(instanceof_expression name: (identifier) @local.definition)
(type_pattern (identifier) @local.definition)
(record_pattern_component (identifier) @local.definition)

(import_declaration (scoped_identifier name: (identifier) @local.definition.import))
; `import static java.lang.Math.max;` makes `max(...)` callable unqualified.
((import_declaration "static" (scoped_identifier name: (identifier) @local.definition.import))
 (#set! local.also-namespace "method"))

(identifier) @local.reference
(type_identifier) @local.reference
