#ifndef DVS_CREADLINE_SHIM_H
#define DVS_CREADLINE_SHIM_H
// GNU readline for the DVS REPL. readline.h needs stdio.h first.
// Swift 6 cannot touch mutable C globals directly, so the few the REPL sets
// are reached through the small accessors below.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline void dvs_rl_set_completion(rl_completion_func_t *fn) {
    rl_attempted_completion_function = fn;
}
static inline void dvs_rl_set_completion_over(int over) { rl_attempted_completion_over = over; }
static inline void dvs_rl_set_catch_signals(int on) { rl_catch_signals = on; }
static inline void dvs_rl_set_getc(rl_getc_func_t *getc) { rl_getc_function = getc; }
static inline void dvs_history_keep_multiline_entries(void) {
    // Timestamps delimit entries in the history file, so cells spanning several
    // lines are read back as one entry.
    history_write_timestamps = 1;
    history_multiline_entries = 1;
}
// readline keeps these pointers: copy the strings (Swift's may be temporary).
static inline void dvs_rl_set_word_break_characters(const char *chars) {
    rl_completer_word_break_characters = strdup(chars);
}
static inline void dvs_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline const char *dvs_rl_line_buffer(void) { return rl_line_buffer; }
static inline void dvs_rl_set_readline_name(const char *name) { rl_readline_name = strdup(name); }
#endif
