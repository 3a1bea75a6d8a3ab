/* The C ABI under abuse (issue 16, item 4): NULL, invalid UTF-8, text that is not JSON,
 * freeing NULL, a request past the size limit, and calls from several threads at once.
 * Each call must answer with an error response (never NULL, never a crash); run under
 * valgrind by .ci/run, so a read or write out of bounds, a use after free or a leak
 * fails CI.
 *
 *   gcc -Wall -Wextra -Werror -pthread bindings/c/tests/abuse.c -I bindings/c/include \
 *       -L target/debug -lntm_capi -o target/ci/ntm_abuse
 *   LD_LIBRARY_PATH=target/debug valgrind --error-exitcode=99 --leak-check=full \
 *       --errors-for-leak-kinds=definite target/ci/ntm_abuse examples/requests/province.json
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntm.h"

static int failures = 0;

/* Checks that a response is a failed response whose text contains `needle`. */
static void expect_error(const char *what, const char *request, const char *needle) {
    char *response = ntm_handle(request);
    if (response == NULL) {
        fprintf(stderr, "FAIL %s: NULL response\n", what);
        failures++;
        return;
    }
    if (strstr(response, "\"ok\":false") == NULL || strstr(response, needle) == NULL) {
        fprintf(stderr, "FAIL %s: expected an error mentioning `%s`, got: %.300s\n", what,
                needle, response);
        failures++;
    } else {
        printf("ok   %s\n", what);
    }
    ntm_free(response);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (text != NULL && fread(text, 1, (size_t)n, f) == (size_t)n) {
        text[n] = '\0';
    } else {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

struct job {
    const char *request;
    const char *expected; /* the single-threaded response */
    int mismatches;
};

static void *worker(void *arg) {
    struct job *job = arg;
    for (int i = 0; i < 4; i++) {
        char *response = ntm_handle(job->request);
        if (response == NULL || strcmp(response, job->expected) != 0) {
            job->mismatches++;
        }
        ntm_free(response);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s REQUEST.json\n", argv[0]);
        return 2;
    }

    expect_error("NULL request", NULL, "request is NULL");
    expect_error("invalid UTF-8", "{\"version\": 1, \"year\": \"\xff\xfe\"}", "not UTF-8");
    expect_error("not JSON", "this is not JSON", "\"severity\":\"error\"");
    expect_error("empty text", "", "\"severity\":\"error\"");
    expect_error("JSON but not a request", "[1, 2, 3]", "\"severity\":\"error\"");
    expect_error("wrong version", "{\"version\": 2}", "unsupported request version 2");
    expect_error("deep nesting", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                 "nests deeper than the limit");

    /* Past the 64 MiB size limit: refused naming the limit, without being parsed. */
    size_t big = (64u << 20) + 16;
    char *huge = malloc(big + 1);
    if (huge == NULL) {
        fprintf(stderr, "cannot allocate the large request\n");
        return 2;
    }
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    huge[big] = '\0';
    expect_error("request past the size limit", huge, "more than the limit of 67108864 (max_bytes)");

    /* A string past the 64 KiB string limit: refused naming the limit and the place. */
    size_t text = (64u << 10) + 1;
    const char *head = "{\"version\": 1, \"notice\": \"";
    size_t at = strlen(head);
    memcpy(huge, head, at);
    memset(huge + at, 'x', text);
    strcpy(huge + at + text, "\"}");
    expect_error("string past the length limit", huge,
                 "\"pointer\":\"/notice\",\"line\":1,\"column\":\"26\",\"message\":\"a string of 65537 bytes, more than the limit of 65536 (max_string_bytes)\",\"limit\":{\"name\":\"max_string_bytes\",\"value\":65536}");
    free(huge);

    ntm_free(NULL); /* documented: ignored */
    printf("ok   ntm_free(NULL)\n");
    if (strcmp(ntm_version(), "ntm-rules contract 1") != 0) {
        fprintf(stderr, "FAIL ntm_version: %s\n", ntm_version());
        failures++;
    }

    /* Several threads at once, each with a valid request: the same response as alone. */
    char *request = read_file(argv[1]);
    if (request == NULL) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    char *expected = ntm_handle(request);
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (struct job){request, expected, 0};
        if (pthread_create(&threads[t], NULL, worker, &jobs[t]) != 0) {
            fprintf(stderr, "cannot start a thread\n");
            return 2;
        }
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        if (jobs[t].mismatches != 0) {
            fprintf(stderr, "FAIL thread %d: %d responses differ\n", t, jobs[t].mismatches);
            failures++;
        }
    }
    printf("ok   %d threads x 4 calls agree with the single-threaded response\n", THREADS);
    ntm_free(expected);
    free(request);

    if (failures != 0) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    return 0;
}
