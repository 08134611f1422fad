; C: block scoping, declare-before-use everywhere (C has no hoisting).
(function_definition) @local.scope
(compound_statement) @local.scope
(for_statement) @local.scope

; A function's name belongs to the enclosing scope, from its declarator on.
(function_declarator declarator: (identifier) @local.definition.parent.ordered)

; Parameters are visible in the whole function.
(parameter_declaration declarator: (identifier) @local.definition.hoisted)
(parameter_declaration declarator: (_ declarator: (identifier) @local.definition.hoisted))
(parameter_declaration declarator: (_ declarator: (_ declarator: (identifier) @local.definition.hoisted)))
(parameter_declaration declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition.hoisted))))
(parameter_declaration declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition.hoisted)))))
(parameter_declaration declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition.hoisted))))))

; Variables, after their declarator, however deep in pointers and arrays (`char **argv`,
; `const char *names[]`, `struct S0 *g_18[7][5][1][1]`), up to six declarators deep.
(declaration declarator: (identifier) @local.definition)
(declaration declarator: (_ declarator: (identifier) @local.definition))
(declaration declarator: (_ declarator: (_ declarator: (identifier) @local.definition)))
(declaration declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition))))
(init_declarator declarator: (identifier) @local.definition)
(init_declarator declarator: (_ declarator: (identifier) @local.definition))
(init_declarator declarator: (_ declarator: (_ declarator: (identifier) @local.definition)))
(init_declarator declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition))))
(declaration declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition)))))
(declaration declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition))))))
(declaration declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition)))))))
(init_declarator declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition)))))
(init_declarator declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition))))))
(init_declarator declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (identifier) @local.definition)))))))

; Types, enumerators and macros.
; `struct s { ... }` defines the tag s, in the tags' own namespace (`struct s s;` is a variable
; s of type struct s); a bare `struct s` refers to it.
((struct_specifier name: (type_identifier) @local.definition body: (_))
 (#set! local.namespace "tag") (#set! local.priority "1"))
((union_specifier name: (type_identifier) @local.definition body: (_))
 (#set! local.namespace "tag") (#set! local.priority "1"))
((enum_specifier name: (type_identifier) @local.definition body: (_))
 (#set! local.namespace "tag") (#set! local.priority "1"))
((struct_specifier name: (type_identifier) @local.reference) (#set! local.namespace "tag"))
((union_specifier name: (type_identifier) @local.reference) (#set! local.namespace "tag"))
((enum_specifier name: (type_identifier) @local.reference) (#set! local.namespace "tag"))
(type_definition declarator: (type_identifier) @local.definition)
; Before C23 `bool` is no keyword: a program may define it itself (`typedef char bool;`,
; `#define bool int`), and the grammar reads it as a primitive type either way.
(type_definition declarator: (primitive_type) @local.definition)
((primitive_type) @local.reference (#eq? @local.reference "bool"))
; So are the grammar's other built-in types, which C has not: the headers' `size_t`,
; `uint32_t`, ... or the program's own (`typedef __SIZE_TYPE__ size_t;` in GCC's tests).
((primitive_type) @local.reference (#match? @local.reference "_t$"))
(type_definition declarator: (_ declarator: (type_identifier) @local.definition))
(type_definition declarator: (_ declarator: (_ declarator: (type_identifier) @local.definition)))
(type_definition declarator: (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @local.definition))))
(enumerator name: (identifier) @local.definition)
((preproc_def name: (identifier) @local.definition) (#set! local.expands "true"))
; A function-like macro's parameters are its own: the macro is a scope, its name is defined
; around it.
(preproc_function_def) @local.scope
((preproc_function_def name: (identifier) @local.definition.parent.ordered) (#set! local.expands "true"))
(preproc_params (identifier) @local.definition.hoisted)
; A macro's body is raw text to the grammar: the names in it (outside string and character
; literals and numbers) are references, so a macro goes when a name it expands to is deleted.
; A body is read where the macro is expanded, not where it is defined: its names resolve
; anywhere (a global declared further down, or `s` in `#define mycase(c) case c: s = #c`, a
; local of the function that expands it), and those the definition cannot see must be visible
; at each expansion (`local.expands` on the macro's name).
((preproc_def value: (preproc_arg) @local.reference)
 (#set! local.names "\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|[0-9][A-Za-z0-9_.]*|([A-Za-z_][A-Za-z0-9_]*)") (#set! local.resolve "anywhere"))
((preproc_function_def value: (preproc_arg) @local.reference)
 (#set! local.names "\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|[0-9][A-Za-z0-9_.]*|([A-Za-z_][A-Za-z0-9_]*)") (#set! local.resolve "anywhere"))

; Struct members live in their own namespace, reached through `.` and `->`.
((field_declaration declarator: (field_identifier) @local.definition.hoisted) (#set! local.namespace "field"))
((field_declaration declarator: (_ declarator: (field_identifier) @local.definition.hoisted)) (#set! local.namespace "field"))
((field_declaration declarator: (_ declarator: (_ declarator: (field_identifier) @local.definition.hoisted))) (#set! local.namespace "field"))
((field_declaration declarator: (_ declarator: (_ declarator: (_ declarator: (field_identifier) @local.definition.hoisted)))) (#set! local.namespace "field"))
((field_declaration declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (field_identifier) @local.definition.hoisted))))) (#set! local.namespace "field"))
((field_declaration declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (_ declarator: (field_identifier) @local.definition.hoisted)))))) (#set! local.namespace "field"))
; The struct of `a.u.di4.mode` is unknown here: a member resolves to any of its name.
((field_expression field: (field_identifier) @local.reference)
 (#set! local.namespace "field") (#set! local.resolve "anywhere"))

(identifier) @local.reference
(type_identifier) @local.reference

; The parameters of a declaration that defines no body (a prototype, a function-pointer
; field, parameter or typedef) live in their own scope: they name nothing in the file.
(declaration declarator: (function_declarator parameters: (parameter_list) @local.scope))
(declaration declarator: (_ declarator: (function_declarator parameters: (parameter_list) @local.scope)))
(declaration declarator: (_ declarator: (_ declarator: (function_declarator parameters: (parameter_list) @local.scope))))
(field_declaration declarator: (function_declarator parameters: (parameter_list) @local.scope))
(field_declaration declarator: (_ declarator: (function_declarator parameters: (parameter_list) @local.scope)))
(type_definition declarator: (function_declarator parameters: (parameter_list) @local.scope))
(type_definition declarator: (_ declarator: (function_declarator parameters: (parameter_list) @local.scope)))
(parameter_declaration declarator: (function_declarator parameters: (parameter_list) @local.scope))
(parameter_declaration declarator: (_ declarator: (function_declarator parameters: (parameter_list) @local.scope)))

; A parenthesized declarator declares its name too (`int (x);`), and so does a macro that
; defines a variable (`static LIST_HEAD(pending);`: type `LIST_HEAD`, declarator `(pending)`).
(declaration declarator: (parenthesized_declarator (identifier) @local.definition))
(init_declarator declarator: (parenthesized_declarator (identifier) @local.definition))

; Labels belong to their function, however deep they sit (`for (;;) L: ;` with a `goto L;`
; outside the loop): `goto err;` needs `err:`.
((labeled_statement label: (statement_identifier) @local.definition.hoisted)
 (#set! local.namespace "label") (#set! local.scope-of "function_definition"))
((goto_statement label: (statement_identifier) @local.reference) (#set! local.namespace "label"))

; A declaration whose type is a macro call (`STACK_OF(X509) *certs = NULL;`) parses as an
; expression statement `call * name` (or `call * (name = value)`), which as an expression
; would have no effect: it declares `name`.
(expression_statement (binary_expression left: (call_expression) operator: "*" right: (identifier) @local.definition))
(expression_statement (binary_expression left: (call_expression) operator: "*" right: (assignment_expression left: (identifier) @local.definition)))

; A type as a macro's argument (`container_of(p, struct node, link)`, which the language file
; tolerates): `struct` reads as a name, the tag after it is a use of the tag.
((argument_list (identifier) @_kw . (ERROR (identifier) @local.reference))
 (#any-of? @_kw "struct" "union" "enum") (#set! local.namespace "tag"))
