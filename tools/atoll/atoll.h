/*
 * The atoll command: shared state of its subcommands.
 *
 * An application folder holds unikernel.conf. A build folder (by default
 * the application folder) holds _build/ (the plan, objects, dependency
 * files) and dist/ (the images). `atoll configure` writes
 * _build/plan; the other commands find the build folder by looking for
 * _build/plan in the current folder and its parents.
 */
#ifndef ATOLL_TOOL_ATOLL_H
#define ATOLL_TOOL_ATOLL_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "tree.h"
#include "util.h"

#define PLAN_DIR "_build"
#define PLAN_FILE "_build/plan"
#define DIST_DIR "dist"

/* Exit statuses of atoll itself (`atoll run` exits with the image's). */
#define EXIT_FAIL 1  /* a configuration, build or run-time error */
#define EXIT_USAGE 2 /* a bad command line */

struct app {
    struct tree tree;
    char *bdir;      /* build folder, absolute */
    char *target;    /* from the plan */
    char *conf_path; /* absolute */
    struct conf conf;  /* parsed and resolved */
    char *image;     /* bdir/dist/NAME.TARGET */
};

/*
 * Load the plan of the build folder around the current directory, then
 * read and resolve its unikernel.conf (and refresh the plan and manifest
 * should the file have changed). Prints the error and returns -1.
 */
int app_load(struct app *a);
void app_free(struct app *a);

/* The folder (absolute) with _build/plan, from the current one upwards;
 * NULL if there is none. */
char *find_build_folder(void);

/* (Re)write _build/plan and _build/TARGET/manifest.c; -1 on error. */
int app_write_plan(struct app *a);

/* Compile and link what is out of date. Step lines ("  CC  x.c") go to
 * log (NULL: none); returns 0 or EXIT_FAIL. */
struct build_opts {
    int jobs;
    bool verbose; /* print each command */
    FILE *log;
};
int app_build(struct app *a, const struct build_opts *o);
/* The number of compilations to run at once by default: the CPUs. */
int build_jobs_default(void);

/* Run argv like run_wait, passing its stderr on and keeping a copy in
 * *out (malloc'ed; NULL if it could not be started). */
int run_capture(char *const argv[], char **out);
/* After a failed link: for each undefined symbol an Atoll library not in
 * unikernel.conf defines, say which library to add (linkhint.c). */
void link_hints(const struct app *a, const char *ldout);

/* The subcommands: argv[0] is the command's name. */
int cmd_configure(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_clean(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_pack(int argc, char **argv);
/* Whether KVM can run guests here (run.c). */
int cmd_kvm_check(int argc, char **argv);
/* atoll www pack: a site archive for examples/www (www.c). */
int cmd_www(int argc, char **argv);
/* atoll dns check / pack: zone files for examples/dns (dns.c). */
int cmd_dns(int argc, char **argv);

/* describe's reading of an image (image.c). */
struct image_info {
    unsigned long long file_size;
    unsigned long long mem_size; /* the loadable segments in memory */
};
typedef void (*line_fn)(const char *line, void *arg);
/* Fill info and emit the image's boot-parameter list, as its --help
 * prints it, read from the image file without running it. */
int image_describe(const char *path, struct image_info *info, line_fn emit,
                   void *arg, char *err, size_t errsize);
/* The ATOLL_EXT_F_* features the image's Atoll request notes ask for;
 * target is "spt" or "hvt" (the tender whose ABI the image must have). */
int image_requests(const char *path, const char *target, uint32_t *features,
                   char *err, size_t errsize);

#endif
