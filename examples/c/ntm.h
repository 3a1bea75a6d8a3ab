/* C interface of ntm-rules (examples/ntm_capi.rs): the versioned JSON facade.
 *
 * Build the library:  cargo build --example ntm_capi
 * Link:               -L target/debug/examples -lntm_capi
 *
 * Every function is thread-safe. Strings are UTF-8 JSON, NUL-terminated. */
#ifndef NTM_H
#define NTM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Handles one request and returns the response (see the JSON Schemas `request` and
 * `response`: `cargo run --example ntm -- schema request`). Errors are data: a response
 * with "ok": false and "diagnostics". Release the result with ntm_free. */
char *ntm_handle(const char *request_json);

/* Releases a string returned by ntm_handle. NULL is ignored. */
void ntm_free(char *response_json);

/* The contract version, e.g. "ntm-rules contract 1". Static: do not free. */
const char *ntm_version(void);

#ifdef __cplusplus
}
#endif

#endif /* NTM_H */
