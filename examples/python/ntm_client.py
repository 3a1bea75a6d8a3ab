"""Calls ntm-rules through its C ABI with the standard library's ctypes only.

    cargo build -p ntm-capi
    python3 examples/python/ntm_client.py examples/requests/province.json

The library is the file named by the environment variable NTM_CAPI_LIB if it is set,
else the first of target/release and target/debug of this workspace that has it.

Prints one line per unit: code, verdict, tier (the same decisions as the Rust API and
the `ntm evaluate` command), then the diagnostics on standard error. Exit code 0 when
the response has no errors, 1 otherwise.
"""
import ctypes
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


NAMES = ("libntm_capi.so", "libntm_capi.dylib", "ntm_capi.dll")


def library_path():
    given = os.environ.get("NTM_CAPI_LIB")
    if given:
        if not pathlib.Path(given).is_file():
            sys.exit(f"NTM_CAPI_LIB={given}: no such file")
        return given
    for profile in ("release", "debug"):
        for name in NAMES:
            path = ROOT / "target" / profile / name
            if path.is_file():
                return str(path)
    sys.exit("build the library first (cargo build -p ntm-capi), or set NTM_CAPI_LIB")


def load_library():
    lib = ctypes.CDLL(library_path())
    # Returned strings are kept as raw pointers so that they can be given back.
    lib.ntm_handle.argtypes = [ctypes.c_char_p]
    lib.ntm_handle.restype = ctypes.c_void_p
    lib.ntm_free.argtypes = [ctypes.c_void_p]
    lib.ntm_free.restype = None
    lib.ntm_version.argtypes = []
    lib.ntm_version.restype = ctypes.c_char_p
    return lib


def handle(lib, request_text):
    """Sends a request (str) and returns the response as a dict."""
    pointer = lib.ntm_handle(request_text.encode("utf-8"))
    if not pointer:
        raise MemoryError("ntm_handle returned NULL")
    try:
        return json.loads(ctypes.string_at(pointer).decode("utf-8"))
    finally:
        lib.ntm_free(pointer)


def decision_lines(response):
    """One line per unit: code, verdict (or status), tier."""
    lines = []
    for code, result in sorted(response["results"].items()):
        verdict = (result.get("decision") or {}).get("verdict") or {}
        name = verdict.get("verdict", result.get("status"))
        lines.append(f"{code} {name} {verdict.get('tier', '-')}")
    return lines


def diagnostic_line(d):
    """A diagnostic as one line: severity, where (JSON Pointer, else unit), message."""
    where = d.get("pointer") or (f"unit {d['unit']}" if d.get("unit") else "the request")
    return f"{d['severity']} at {where}: {d['message']}"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ntm_client.py <request.json>")
    lib = load_library()
    print(lib.ntm_version().decode(), file=sys.stderr)
    response = handle(lib, pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    for line in decision_lines(response):
        print(line)
    for d in response["diagnostics"]:
        print(diagnostic_line(d), file=sys.stderr)
    errors = [d for d in response["diagnostics"] if d["severity"] == "error"]
    return 0 if response["ok"] and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
