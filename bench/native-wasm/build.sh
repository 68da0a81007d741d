#!/bin/sh
# Builds bench/native-wasm/<workload>.wasm: each guest workload's C compiled straight to
# wasm32 with clang, the same sources and -O2 as the RISC-V images, with shim.c in place
# of the UART runtime. bench/exec.ts runs them as the upper bound for any Wasm JIT.
# The .wasm files are committed, so the benchmark runs without clang.
#
# Needs: apt-get install -y clang lld   (clang 14 and wasm-ld in Debian 12)
#   bench/native-wasm/build.sh [workload ...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gi="$here/../../guest-images"
CLANG=${CLANG:-clang}
WASM_LD=${WASM_LD:-wasm-ld}

# Wasm features Node 20 runs by default and a RISC-V JIT can use as well (no SIMD).
FEATURES="-msign-ext -mmutable-globals -mbulk-memory -mnontrapping-fptoint"
CFLAGS="--target=wasm32 -O2 -ffreestanding -fno-common -Wall -Wextra $FEATURES -I$gi/lib"
# Linked by wasm-ld itself: the clang driver would also run any wasm-opt it finds on PATH
# (npm puts binaryen's on it), and the result would depend on who ran the script.
LDFLAGS="-m wasm32 --no-entry --export=run --export=rvwasm_scale -z stack-size=1048576"

obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT

{
	echo "# written by build.sh; bench/exec.ts prints it"
	echo "compiler: $("$CLANG" --version | head -n 1)"
	echo "linker: $("$WASM_LD" --version | head -n 1)"
	echo "cflags: $CFLAGS" | sed "s|$gi|guest-images|g"
	echo "ldflags: $LDFLAGS"
} > "$here/build-info.txt"

for f in "$gi/lib/fmt.c" "$gi/lib/mem.c" "$here/shim.c"; do
	"$CLANG" $CFLAGS -c -o "$obj/$(basename "$f" .c).o" "$f"
done
for n in ${*:-crc32 sha256 qsort matmul bytecode strings}; do
	"$CLANG" $CFLAGS -c -o "$obj/$n.o" "$gi/workloads/$n.c"
	"$WASM_LD" $LDFLAGS -o "$here/$n.wasm" "$obj/$n.o" "$obj/fmt.o" "$obj/mem.o" "$obj/shim.o"
	echo "built $here/$n.wasm ($(wc -c < "$here/$n.wasm") bytes)"
done
