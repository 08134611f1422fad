; Scopes: functions, blocks and the statements that open a scope of their own. A function's
; parameters and the top level of its body share one scope (`x, err := f()` there assigns
; a parameter `err`), so a function body is not a scope of its own; other blocks are.
(function_declaration) @local.scope
(method_declaration) @local.scope
(func_literal) @local.scope
(statement_list (block) @local.scope)
(labeled_statement (block) @local.scope)
(if_statement consequence: (block) @local.scope)
(if_statement alternative: (block) @local.scope)
(for_statement body: (block) @local.scope)
(if_statement) @local.scope
(for_statement) @local.scope
(expression_switch_statement) @local.scope
(type_switch_statement) @local.scope
(select_statement) @local.scope
(expression_case) @local.scope
(default_case) @local.scope
(type_case) @local.scope
(communication_case) @local.scope
; A generic type's parameters are visible in its own declaration only.
(type_spec type_parameters: (_)) @local.scope

; Package-level declarations are visible in the whole file, in any order (a generic type's
; name leaves the scope of its type parameters).
(function_declaration name: (identifier) @local.definition.parent)
(source_file (type_declaration (type_spec name: (type_identifier) @local.definition.parent)))
(source_file (type_declaration (type_alias name: (type_identifier) @local.definition.hoisted)))
(source_file (var_declaration (var_spec name: (identifier) @local.definition.hoisted)))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @local.definition.hoisted))))
(source_file (const_declaration (const_spec name: (identifier) @local.definition.hoisted)))
(import_spec name: (package_identifier) @local.definition.import)
(import_spec !name path: (_) @local.definition.import)

; Parameters, receivers and results of a function are visible in its body, not in its
; signature: in `func (c *C) Flag() (flag *flag.Flag)` the type names the package `flag`.
; (The parameters of a function type, `func(cmd *Command)`, declare nothing.)
([(function_declaration [parameters: (parameter_list [(parameter_declaration name: (identifier) @local.definition)
                                                     (variadic_parameter_declaration name: (identifier) @local.definition)])
                         result: (parameter_list (parameter_declaration name: (identifier) @local.definition))])
  (method_declaration [receiver: (parameter_list (parameter_declaration name: (identifier) @local.definition))
                       parameters: (parameter_list [(parameter_declaration name: (identifier) @local.definition)
                                                   (variadic_parameter_declaration name: (identifier) @local.definition)])
                       result: (parameter_list (parameter_declaration name: (identifier) @local.definition))])
  (func_literal [parameters: (parameter_list [(parameter_declaration name: (identifier) @local.definition)
                                             (variadic_parameter_declaration name: (identifier) @local.definition)])
                 result: (parameter_list (parameter_declaration name: (identifier) @local.definition))])]
 (#set! local.visible-after "parameter_list"))
; The parameter names of a function type or an interface method name nothing a body can
; use: a namespace of their own keeps them from reading (using) a variable of that name.
([(function_type [parameters: (parameter_list [(parameter_declaration name: (identifier) @local.definition)
                                              (variadic_parameter_declaration name: (identifier) @local.definition)])
                  result: (parameter_list (parameter_declaration name: (identifier) @local.definition))])
  (method_elem [parameters: (parameter_list [(parameter_declaration name: (identifier) @local.definition)
                                            (variadic_parameter_declaration name: (identifier) @local.definition)])
                result: (parameter_list (parameter_declaration name: (identifier) @local.definition))])]
 (#set! local.namespace "signature"))
; Type parameters, and those a method's receiver names (`func (l *List[T]) Push(v T)`).
(type_parameter_declaration name: (identifier) @local.definition.hoisted)
(method_declaration receiver: (parameter_list (parameter_declaration type: [
  (generic_type type_arguments: (type_arguments (type_elem (type_identifier) @local.definition.hoisted)))
  (pointer_type (generic_type type_arguments: (type_arguments (type_elem (type_identifier) @local.definition.hoisted))))])))

; Members: the type of `x` in `x.f` is unknown here, so a field or method name resolves to a
; member of that name declared anywhere in the file (none: another package's, or an embedded
; type's, an error every state shares), apart from other names.
((field_declaration name: (field_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((method_declaration name: (field_identifier) @local.definition.parent) (#set! local.namespace "member"))
((method_elem name: (field_identifier) @local.definition.hoisted) (#set! local.namespace "member"))
((selector_expression field: (field_identifier) @local.reference)
 (#set! local.namespace "member") (#set! local.resolve "anywhere"))
; The keys of a struct literal name fields (those of a map or slice literal are values).
((composite_literal type: [(type_identifier) (qualified_type) (generic_type) (struct_type)]
   body: (literal_value (keyed_element key: (literal_element (identifier) @local.reference))))
 (#set! local.namespace "member") (#set! local.resolve "anywhere"))
; So do those of an element whose type the literal elides (`[]info{{uid: "a"}}`,
; `map[string]info{"a": {uid: "a"}}`, `[]*info{{uid: "a"}}`): a slice, array or map of structs.
((composite_literal
   type: [(slice_type element: [(type_identifier) (qualified_type) (generic_type) (struct_type) (pointer_type)])
          (array_type element: [(type_identifier) (qualified_type) (generic_type) (struct_type) (pointer_type)])
          (implicit_length_array_type element: [(type_identifier) (qualified_type) (generic_type) (struct_type) (pointer_type)])
          (map_type value: [(type_identifier) (qualified_type) (generic_type) (struct_type) (pointer_type)])]
   body: (literal_value [(literal_element (literal_value (keyed_element key: (literal_element (identifier) @local.reference))))
                         (keyed_element value: (literal_element (literal_value (keyed_element key: (literal_element (identifier) @local.reference)))))]))
 (#set! local.namespace "member") (#set! local.resolve "anywhere"))

; Local variables must be used: "declared and not used" is a compile error. `:=` declares
; only the names its scope lacks; the others it assigns. A local is visible after its
; declaration, not in it: `diff := diff(a, b)` calls the function `diff`.
((short_var_declaration left: (expression_list (identifier) @local.definition.var))
 (#set! local.redeclaration "assigns") (#set! local.visible-after "short_var_declaration"))
((range_clause left: (expression_list (identifier) @local.definition.var) ":=")
 (#set! local.visible-after "range_clause"))
(receive_statement left: (expression_list (identifier) @local.definition.var) ":=")
((statement_list (var_declaration (var_spec name: (identifier) @local.definition.var)))
 (#set! local.visible-after "var_spec"))
((statement_list (var_declaration (var_spec_list (var_spec name: (identifier) @local.definition.var))))
 (#set! local.visible-after "var_spec"))
(statement_list (const_declaration (const_spec name: (identifier) @local.definition)))
(statement_list (type_declaration (type_spec name: (type_identifier) @local.definition)))
; `switch v := v.(type)`: the switched value is the outer `v`.
((type_switch_statement alias: (expression_list (identifier) @local.definition.var))
 (#set! local.visible-after "type_switch_statement.value"))
; Labels live in a namespace of their own (`main:` does not use `func main`) and, like
; variables, must be used: "label L defined and not used" is a compile error.
((labeled_statement label: (label_name) @local.definition.hoisted.var) (#set! local.namespace "label"))
([(break_statement (label_name) @local.reference)
  (continue_statement (label_name) @local.reference)
  (goto_statement (label_name) @local.reference)] (#set! local.namespace "label"))

; A plain assignment writes a variable without using it (gc counts `+=` and `++` as uses).
(assignment_statement left: (expression_list (identifier) @local.reference.write) operator: "=")
(range_clause left: (expression_list (identifier) @local.reference.write) "=")
; So does a receive in a select case (`case b = <-in:`).
(receive_statement left: (expression_list (identifier) @local.reference.write) "=")

; The type of another package (`bytes.Buffer`) is not this file's `Buffer`: a namespace no
; definition has keeps it apart.
((qualified_type name: (type_identifier) @local.reference) (#set! local.namespace "qualified"))

(identifier) @local.reference
(type_identifier) @local.reference
; A package name is a reference only as a qualifier: the package clause (`package main`)
; names this file's package, not an import or `func main`.
(qualified_type package: (package_identifier) @local.reference)
