; Items pinned (kept until the last edit) beside the TOML's `[nodes] pinned_query`; C++
; inherits them (queries/cpp/pinned.scm).
; An `#include` inside a conditional (`#if defined (READLINE_LIBRARY) #include "readline.h"
; #else #include <readline/readline.h> #endif`) stays as the includes do: each `#if`/`#ifdef`/
; `#elif`/`#else` line whose branch holds an include, or leads (through up to two `#elif`s) to
; one that does, is pinned, or deleting that line would delete the include with its branch
; (readline's examples, a second batch of fresh C packages).
(preproc_if (preproc_include)) @pinned
(preproc_ifdef (preproc_include)) @pinned
(preproc_else (preproc_include)) @pinned
(preproc_elif (preproc_include)) @pinned
(preproc_if alternative: [(preproc_else (preproc_include)) (preproc_elif (preproc_include))]) @pinned
(preproc_ifdef alternative: [(preproc_else (preproc_include)) (preproc_elif (preproc_include))]) @pinned
(preproc_elif alternative: [(preproc_else (preproc_include)) (preproc_elif (preproc_include))]) @pinned
(preproc_if alternative: (preproc_elif alternative: [(preproc_else (preproc_include)) (preproc_elif (preproc_include))])) @pinned
(preproc_ifdef alternative: (preproc_elif alternative: [(preproc_else (preproc_include)) (preproc_elif (preproc_include))])) @pinned
