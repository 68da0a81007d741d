#!/bin/sh
# run-workloads.sh ELF [ITERATIONS] - runs the mini-kernel's self-check (workload 0) and its
# six benchmark workloads on rvwasm's interpreter and JIT (32 MiB of RAM) and, if
# installed, on qemu-system-riscv64. Each workload runs from a copy of ELF whose
# kernel_workload and kernel_iterations words are patched in the file. Checks that every
# run exits 0 and that the interpreter and the JIT print the same output; prints the
# interpreter's instruction count of each workload. Run from guest-images/ (make kernel-check).
set -e
ELF=$1
N=${2:-1000}
RVWASM=${RVWASM:-node ../dist/cli.js}
QEMU=${QEMU:-qemu-system-riscv64}
CROSS=${CROSS:-riscv64-unknown-elf-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# patch_word FILE SYMBOL VALUE: the symbol's 8-byte little-endian word in .data
patch_word() {
	addr=$(${CROSS}nm "$1" | awk -v s="$2" '$3 == s { print $1 }')
	set -- "$1" "$2" "$3" $(${CROSS}objdump -h "$1" | awk '$2 == ".data" { print $4, $6 }')
	off=$((0x$addr - 0x$4 + 0x$5))
	bytes=""
	i=0
	while [ $i -lt 8 ]; do
		bytes="$bytes\\$(printf %o $((($3 >> (8 * i)) & 255)))"
		i=$((i + 1))
	done
	printf "$bytes" | dd of="$1" bs=1 seek=$off conv=notrunc status=none
}

fail=0
printf '%-3s %-18s %14s  %s\n' wl name interp-insns result
for wl in 0 1 2 3 4 5 6; do
	img=$TMP/wl$wl.elf
	cp "$ELF" "$img"
	patch_word "$img" kernel_workload $wl
	patch_word "$img" kernel_iterations $N
	res=ok
	for eng in interp jit; do
		rc=0
		$RVWASM run "$img" -m 32 --engine $eng --stats >"$TMP/$eng.out" 2>"$TMP/$eng.err" || rc=$?
		[ $rc -eq 0 ] || { res="FAIL ($eng exit $rc)"; cat "$TMP/$eng.out" >&2; }
	done
	cmp -s "$TMP/interp.out" "$TMP/jit.out" || res="FAIL (interp and jit output differ)"
	if command -v $QEMU >/dev/null; then
		rc=0
		timeout 300 $QEMU -machine virt -bios none -nographic -monitor none -m 32M \
			-kernel "$img" >"$TMP/qemu.out" 2>&1 || rc=$?
		[ $rc -eq 0 ] || { res="FAIL (qemu exit $rc)"; cat "$TMP/qemu.out" >&2; }
		[ "$res" != ok ] || res="ok (interp, jit, qemu)"
	fi
	insns=$(awk '/^instructions/ { print $2 }' "$TMP/interp.err")
	name=$(sed -n 's/^minikernel: workload [0-9]* (\([^)]*\)).*/\1/p; s/^minikernel: \(self-check\),.*/\1/p' \
		"$TMP/interp.out" | head -1)
	printf '%-3s %-18s %14s  %s\n' $wl "$name" "$insns" "$res"
	case $res in ok*) ;; *) fail=1 ;; esac
done
exit $fail
