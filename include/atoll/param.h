/*
 * Boot parameters (lib/rt): typed keys given on the command line as
 * --NAME=VALUE (a bool also as --NAME, meaning true). Each is declared in
 * one line, at file scope:
 *
 *   ATOLL_PARAM_INT(port, "port", 7, 1, 65535, "TCP port");
 *   ATOLL_PARAM_BOOL(verbose, "verbose", false, "say more");
 *   ATOLL_PARAM_STRING(greeting, "greeting", "hi", "TEXT", "what to say");
 *   ATOLL_PARAM_STRING_CHECKED(mode, "mode", "serve", check_mode,
 *                              "serve|script", "what to do");
 *
 * Each macro defines a static variable (int64_t, bool or const char *)
 * holding the default, and registers the parameter under NAME (which may
 * hold '-', unlike the variable's C name). The runtime sets the variable
 * from the command line before main runs. METAVAR is what --help shows in
 * place of the value (NULL: the type's name); CHECK is a validator,
 * NULL if the value is acceptable, else a short reason.
 *
 * --help lists every parameter and exits 0; an unknown name, a malformed
 * value or one out of range prints one line and exits with status 2 before
 * main runs. Words that do not start with "--", and every word after "--",
 * are the application's argv.
 *
 * Underneath, each parameter is a struct atoll_param descriptor whose
 * address ATOLL_PARAM puts in the atoll_params section, where the runtime
 * finds them all at boot; a descriptor may also be written out by hand.
 * Host programs (atoll describe) use this header without the rest of
 * the runtime.
 */
#ifndef ATOLL_PARAM_H
#define ATOLL_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum atoll_param_type {
    ATOLL_PTYPE_BOOL,
    ATOLL_PTYPE_INT,    /* int64_t within [min, max] */
    ATOLL_PTYPE_STRING, /* const char *, optionally validated */
};

/* A string validator: NULL if value is acceptable, else why not. */
typedef const char *(*atoll_param_check_fn)(const char *value);

struct atoll_param {
    const char *name; /* without the leading "--" */
    enum atoll_param_type type;
    const char *help;
    const char *metavar; /* shown in --help instead of the type, or NULL */
    union {
        bool *b;
        struct {
            int64_t *value;
            int64_t min, max;
        } i;
        struct {
            const char **value;
            atoll_param_check_fn check; /* or NULL */
        } s;
    } u;
};

/* Register the descriptor desc (a static struct atoll_param). */
#define ATOLL_PARAM(desc)                                                  \
    static const struct atoll_param *const atoll_param_ptr_##desc          \
        __attribute__((used, section("atoll_params"))) = &(desc)

#define ATOLL_PARAM_BOOL(var, name_, def, help_)                           \
    static bool var = (def);                                               \
    static const struct atoll_param var##_atoll_param = {                  \
        .name = (name_), .type = ATOLL_PTYPE_BOOL, .help = (help_),        \
        .u.b = &var,                                                       \
    };                                                                     \
    ATOLL_PARAM(var##_atoll_param)

#define ATOLL_PARAM_INT(var, name_, def, min_, max_, help_)                \
    static int64_t var = (def);                                            \
    static const struct atoll_param var##_atoll_param = {                  \
        .name = (name_), .type = ATOLL_PTYPE_INT, .help = (help_),         \
        .u.i = {&var, (min_), (max_)},                                     \
    };                                                                     \
    ATOLL_PARAM(var##_atoll_param)

#define ATOLL_PARAM_STRING_CHECKED(var, name_, def, check_, metavar_,      \
                                   help_)                                  \
    static const char *var = (def);                                        \
    static const struct atoll_param var##_atoll_param = {                  \
        .name = (name_), .type = ATOLL_PTYPE_STRING, .help = (help_),      \
        .metavar = (metavar_), .u.s = {&var, (check_)},                    \
    };                                                                     \
    ATOLL_PARAM(var##_atoll_param)

#define ATOLL_PARAM_STRING(var, name_, def, metavar_, help_)               \
    ATOLL_PARAM_STRING_CHECKED(var, name_, def, NULL, metavar_, help_)

/* Every boot parameter of this image (in link order); *count gets their
 * number. */
const struct atoll_param *const *atoll_params_list(size_t *count);

/* Write p's current value as text (as --help shows it) into buf; returns
 * what snprintf returns. */
int atoll_param_format(const struct atoll_param *p, char *buf, size_t size);

/*
 * The --help text of params[0..n), one line at a time (each without its
 * newline) to emit: a heading, then the parameters sorted by name with
 * their current values as defaults. IMAGE --help prints it, and so does
 * `atoll describe IMAGE` from the descriptors read out of the image.
 */
typedef void (*atoll_line_fn)(const char *line, void *arg);
void atoll_params_help(const struct atoll_param *const *params, size_t n,
                       atoll_line_fn emit, void *arg);

#endif
