/*
 * store: read each argument's xenstore path through bindings/xen's client
 * (relative paths are under the domain's /local/domain/DOMID) and print
 * "PATH=VALUE", or "PATH: error ERR" (the store's error name). Exit 1 if
 * a read failed.
 */
#include <stddef.h>
#include <stdio.h>

long xen_store_read(const char *path, char *buf, size_t size);

int main(int argc, char **argv)
{
    char v[256];
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (xen_store_read(argv[i], v, sizeof v) < 0) {
            printf("%s: error %s\n", argv[i], v);
            rc = 1;
        } else {
            printf("%s=%s\n", argv[i], v);
        }
    }
    return rc;
}
