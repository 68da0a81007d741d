#!/bin/sh
# Builds bench/native-wasm/<workload>.wasm: each guest workload's C compiled straight to
# wasm32 with clang, the same sources and -O2 as the RISC-V images, with shim.c in place
# of the UART runtime. bench/exec.ts runs them as the upper bound for any Wasm JIT.
# The .wasm files are committed, so the benchmark runs without clang.
#
# Needs: apt-get install -y clang lld   (clang 14 and wasm-ld in Debian 12)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gi="$here/../../guest-images"
CLANG=${CLANG:-clang}

# Wasm features Node 20 runs by default and a RISC-V JIT can use as well (no SIMD).
FEATURES="-msign-ext -mmutable-globals -mbulk-memory -mnontrapping-fptoint"
CFLAGS="--target=wasm32 -O2 -ffreestanding -nostdlib -fno-common -Wall -Wextra $FEATURES -I$gi/lib"
LDFLAGS="-Wl,--no-entry -Wl,--export=run -Wl,--export=rvwasm_scale -Wl,-z,stack-size=1048576"

{
	echo "# written by build.sh; bench/exec.ts prints it"
	echo "compiler: $("$CLANG" --version | head -n 1)"
	echo "linker: $(wasm-ld --version | head -n 1)"
	echo "flags: $CFLAGS $LDFLAGS" | sed "s|$gi|guest-images|g"
} > "$here/build-info.txt"

for n in ${*:-crc32 sha256 qsort matmul bytecode strings}; do
	"$CLANG" $CFLAGS $LDFLAGS -o "$here/$n.wasm" \
		"$gi/workloads/$n.c" "$gi/lib/fmt.c" "$here/shim.c"
	echo "built $here/$n.wasm ($(wc -c < "$here/$n.wasm") bytes)"
done
