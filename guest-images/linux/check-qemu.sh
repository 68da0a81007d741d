#!/usr/bin/env bash
# check-qemu.sh - boot the kernels from build.sh on QEMU's virt board and check
# that init reached userspace, read the virtio disk correctly and powered the
# machine off by itself.
#
#   guest-images/linux/check-qemu.sh [--build-dir DIR] [FLAVOR...]
#
# FLAVOR is rvwasm and/or tiny (default: each one whose Image exists). Every
# flavor boots twice: with QEMU's default rv64 CPU, and with a CPU trimmed to
# what rvwasm implements (no F/D, no H, no Zba/Zbb/Zbc/Zbs, no Sstc). Logs go
# to DIR/qemu-<flavor>-<cpu>.log. Exits non-zero if any boot fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build_dir=$repo/guest-images/build/linux
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf
flavors=()

die() { printf 'check-qemu.sh: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'check-qemu.sh: %s\n' "$*"; }

while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build_dir=$2; shift 2 ;;
	-h|--help) sed -n '2,11{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
	rvwasm|tiny) flavors+=("$1"); shift ;;
	*) die "unknown argument '$1'" ;;
	esac
done

command -v qemu-system-riscv64 >/dev/null ||
	die "qemu-system-riscv64 not found; install with: apt-get install -y qemu-system-misc opensbi"
[ -f "$bios" ] || die "$bios not found; install with: apt-get install -y opensbi"
if [ ${#flavors[@]} -eq 0 ]; then
	[ -f "$build_dir/Image" ] && flavors+=(rvwasm)
	[ -f "$build_dir/Image-tiny" ] && flavors+=(tiny)
	[ ${#flavors[@]} -gt 0 ] || die "no Image in $build_dir; run guest-images/linux/build.sh first"
fi

# A 1 MiB disk whose first sector we know: a 16-byte tag, then a byte ramp.
disk=$build_dir/disk.img
{
	printf 'rvwasm-vda-test\n'
	for ((i = 16; i < 512; i++)); do printf "\\$(printf '%03o' $((i * 7 & 255)))"; done
} > "$disk.tmp"
truncate -s 1M "$disk.tmp"
mv "$disk.tmp" "$disk"
want_hex=$(od -An -v -tx1 -N16 "$disk" | tr -d ' \n')
h=2166136261 # FNV-1a 32 over the sector, as init.c computes it
for b in $(od -An -v -tu1 -N512 "$disk"); do
	h=$(((h ^ b) * 16777619 & 0xffffffff))
done
want_fnv=$(printf '%08x' "$h")

cpus=(
	"default|rv64"
	"rvwasm-like|rv64,f=false,d=false,h=false,zba=false,zbb=false,zbc=false,zbs=false,sstc=false"
)

failed=0
for flavor in "${flavors[@]}"; do
	case $flavor in
	rvwasm) image=$build_dir/Image; cmdline="console=ttyS0 earlycon=sbi" ;;
	tiny)   image=$build_dir/Image-tiny; cmdline="console=ttyS0 earlycon" ;;
	esac
	[ -f "$image" ] || die "$image not found; run guest-images/linux/build.sh --flavor $flavor"
	for c in "${cpus[@]}"; do
		name=${c%%|*} cpu=${c#*|}
		out=$build_dir/qemu-$flavor-$name.log
		t0=$(date +%s.%N)
		set +e
		timeout 120 qemu-system-riscv64 -M virt -m 128 -nographic -cpu "$cpu" \
			-bios "$bios" -kernel "$image" -append "$cmdline" \
			-drive file="$disk",format=raw,if=none,id=d0 \
			-device virtio-blk-device,drive=d0 < /dev/null > "$out" 2>&1
		rc=$?
		set -e
		secs=$(echo "$(date +%s.%N) - $t0" | bc)
		tr -d '\r' < "$out" > "$out.tmp" && mv "$out.tmp" "$out"
		problems=()
		[ "$rc" = 0 ] || problems+=("qemu exit status $rc (124 = timeout: no poweroff)")
		grep -qx 'rvwasm-init: reached userspace' "$out" || problems+=("no userspace marker")
		grep -q '^rvwasm-init: uname: Linux .* riscv64$' "$out" || problems+=("no uname line")
		if [ "$flavor" = rvwasm ]; then
			grep -qx "rvwasm-init: vda first bytes: $want_hex" "$out" ||
				problems+=("vda line missing or wrong (want $want_hex)")
			grep -qx "rvwasm-init: vda read 512 bytes, fnv1a32 $want_fnv" "$out" ||
				problems+=("vda checksum missing or wrong (want $want_fnv)")
		fi
		! grep -q '^rvwasm-init: FAIL' "$out" || problems+=("init reported FAIL")
		grep -qx 'rvwasm-init: done, 0 failures, powering off' "$out" || problems+=("no clean done line")
		if [ ${#problems[@]} -eq 0 ]; then
			log "PASS $flavor on $name cpu ($(printf '%.1f' "$secs") s) - $out"
		else
			failed=1
			log "FAIL $flavor on $name cpu: ${problems[*]} - $out"
			tail -15 "$out" | sed 's/^/    /'
		fi
	done
done
exit $failed
