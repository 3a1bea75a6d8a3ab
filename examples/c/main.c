/* Calls ntm-rules through its C ABI on a request file and prints the response JSON.
 *
 *   cargo build -p ntm-capi
 *   gcc examples/c/main.c -I bindings/c/include -L target/debug -lntm_capi -o target/ntm_c
 *   LD_LIBRARY_PATH=target/debug target/ntm_c examples/requests/province.json
 *
 * Exit code: 0 when the response says "ok": true, 1 otherwise, 2 on I/O errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntm.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0) { fclose(f); return NULL; }
    long n = ftell(f);
    if (n < 0) { fclose(f); return NULL; }
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    if (!buf) { fclose(f); return NULL; }
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <request.json>\n", argv[0]);
        return 2;
    }
    char *request = read_file(argv[1]);
    if (!request) {
        perror(argv[1]);
        return 2;
    }
    fprintf(stderr, "%s\n", ntm_version());
    char *response = ntm_handle(request);
    free(request);
    if (!response) {
        fprintf(stderr, "no response (out of memory)\n");
        return 2;
    }
    printf("%s\n", response);
    int ok = strstr(response, "\"ok\":true") != NULL;
    ntm_free(response);
    return ok ? 0 : 1;
}
