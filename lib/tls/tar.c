/*
 * lib/tls: certificate chains and keys from a tar archive (lib/tarkv), as
 * applications name them on their command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/err.h"
#include "atoll/tarkv.h"
#include "tls_internal.h"

#define TLS_FILE_MAX (1 << 20)

/* The whole of file path, NUL-terminated, in *out (free it). */
static int slurp(struct atoll_tarkv *t, const char *path, char **out,
                 size_t *len)
{
    const struct atoll_tarkv_entry *e =
        atoll_tarkv_lookup(t, path, strlen(path));
    size_t got = 0;
    char *p;

    if (e == NULL || e->type != ATOLL_TARKV_FILE)
        return ATOLL_ERR_NOENT;
    if (e->size > TLS_FILE_MAX)
        return ATOLL_ERR_RANGE;
    p = malloc((size_t)e->size + 1);
    if (p == NULL)
        return ATOLL_ERR_NOMEM;
    if (atoll_tarkv_read(t, e, 0, p, (size_t)e->size, &got) != 0) {
        free(p);
        return ATOLL_ERR_IO;
    }
    p[got] = '\0';
    *out = p;
    *len = got;
    return 0;
}

/* One NAME[:SNI,...] (spec is modified). */
static int load_one(struct atoll_tls_config *cfg, struct atoll_tarkv *t,
                    const char *dir, char *spec, char *why, size_t whylen)
{
    char *sni = strchr(spec, ':'), path[256], reason[160] = "";
    char *file[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    static const char *const ext[2] = {"crt", "key"};
    int r = 0;

    if (sni != NULL)
        *sni++ = '\0';
    for (int i = 0; i < 2 && r == 0; i++) {
        snprintf(path, sizeof path, "%s%s.%s", dir, spec, ext[i]);
        r = slurp(t, path, &file[i], &len[i]);
        if (r != 0)
            snprintf(reason, sizeof reason, "%s: %s", path,
                     r == ATOLL_ERR_NOENT ? "not in the archive"
                                          : atoll_strerror(r));
    }
    if (r == 0)
        r = atoll_tls_config_add(cfg, sni, file[0], len[0], file[1], len[1],
                                 reason, sizeof reason);
    if (r != 0 && why != NULL && whylen > 0)
        snprintf(why, whylen, "%s: %s", spec, reason);
    free(file[0]);
    free(file[1]);
    return r;
}

int atoll_tls_config_add_tar(struct atoll_tls_config *cfg,
                             struct atoll_tarkv *t, const char *dir,
                             const char *specs, char *why, size_t whylen)
{
    char *list = strdup(specs), *spec, *save = NULL;
    int r = 0;

    if (list == NULL)
        return ATOLL_ERR_NOMEM;
    for (spec = strtok_r(list, "+", &save); spec != NULL && r == 0;
         spec = strtok_r(NULL, "+", &save))
        r = load_one(cfg, t, dir, spec, why, whylen);
    free(list);
    return r;
}
