#!/usr/bin/env bash
# Writes gpu-check/libllvm_stub.so: every LLVM C API / cubecl LLVM-shim symbol the given binaries
# leave undefined (see scripts/gpu-check.sh build), each aborting with a message if ever called.
# The cuda binaries select NVRTC, so none is called; the stub only lets the loader bind them.
# Usage: scripts/llvm-stub.sh OUT.so BINARY...
set -euo pipefail
out="$1"; shift
src="$(mktemp --suffix=.c)"
{
  echo '#include <stdio.h>'
  echo '#include <stdlib.h>'
  echo 'static void missing(const char *name) { fprintf(stderr, "convirt: %s called, but this cuda build has no LLVM (NVRTC only)\n", name); abort(); }'
  nm -D --undefined-only "$@" | awk '$1 == "U" {print $2}' | grep -E '^(LLVM|cubecl_)' | sort -u |
    while read -r name; do echo "void $name(void) { missing(\"$name\"); }"; done
} > "$src"
cc -shared -fPIC -O1 -o "$out" "$src"
rm -f "$src"
