#!/usr/bin/env bash
# build.sh - build a small riscv64 Linux kernel (Debian's linux-source-6.1)
# with a built-in initramfs whose only program is init.c.
#
#   guest-images/linux/build.sh [--flavor rvwasm|tiny|all] [options]
#
# Flavors:
#   rvwasm (default)  tinyconfig + rvwasm.config: RV64IMAC, no FPU, legacy SBI
#                     console/earlycon, virtio-mmio block + rng, devtmpfs/proc/
#                     sysfs, syscon poweroff  -> <build-dir>/Image
#   tiny              tinyconfig + tiny.config: virt + 8250 console + initramfs,
#                     no FPU and no compressed instructions (RV64IMA)
#                                             -> <build-dir>/Image-tiny
#
# Options:
#   --build-dir DIR   default guest-images/build/linux (source in DIR/src,
#                     objects in DIR/obj-<flavor>)
#   --tarball FILE    default /usr/src/linux-source-6.1.tar.xz
#   -j, --jobs N      default $(nproc)
#   --no-audit        skip the instruction-set audit of vmlinux
#   -h, --help
#
# See README.md in this directory for how to boot the result.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

flavors=rvwasm
build_dir=$repo/guest-images/build/linux
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=$(nproc 2>/dev/null || echo 2)
audit=1
cross=riscv64-linux-gnu-

log() { printf 'build.sh: %s\n' "$*"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
	case $1 in
	--flavor) [ $# -ge 2 ] || die "--flavor needs a value"; flavors=$2; shift 2 ;;
	--flavor=*) flavors=${1#*=}; shift ;;
	--build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build_dir=$2; shift 2 ;;
	--build-dir=*) build_dir=${1#*=}; shift ;;
	--tarball) [ $# -ge 2 ] || die "--tarball needs a value"; tarball=$2; shift 2 ;;
	--tarball=*) tarball=${1#*=}; shift ;;
	-j|--jobs) [ $# -ge 2 ] || die "$1 needs a value"; jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--jobs=*) jobs=${1#*=}; shift ;;
	--no-audit) audit=0; shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done

case $flavors in
rvwasm|tiny) ;;
all) flavors="rvwasm tiny" ;;
*) die "unknown flavor '$flavors' (rvwasm, tiny or all)" ;;
esac
case $jobs in ''|*[!0-9]*) die "--jobs wants a number, got '$jobs'" ;; esac

mkdir -p "$build_dir"
build_dir=$(cd "$build_dir" && pwd)
src=$build_dir/src
# gen_init_cpio splits its list on whitespace and Kconfig strings are quoted.
case $build_dir in *[[:space:]\"\\]*) die "build directory must not contain spaces, quotes or backslashes: $build_dir" ;; esac

# ---- tools ---------------------------------------------------------------

check_tools() {
	local missing=() pkgs=() t
	need() { # need <command> <debian package>
		if ! command -v "$1" >/dev/null 2>&1; then
			missing+=("$1"); pkgs+=("$2")
		fi
	}
	need make make
	need gcc gcc
	need "${cross}gcc" gcc-riscv64-linux-gnu
	need "${cross}objdump" binutils-riscv64-linux-gnu
	need "${cross}readelf" binutils-riscv64-linux-gnu
	need bc bc
	need bison bison
	need flex flex
	need perl perl
	need tar tar
	need xz xz-utils
	if [ ! -f "$src/Makefile" ] && [ ! -f "$tarball" ]; then
		missing+=("$tarball"); pkgs+=(linux-source-6.1)
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		# one line; de-duplicate the package list
		t=$(printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' ')
		die "missing ${missing[*]}; install with: apt-get install -y ${t% }"
	fi
}

# ---- kernel source -------------------------------------------------------

unpack_source() {
	if [ -f "$src/Makefile" ] && [ -f "$src/arch/riscv/Kconfig" ]; then
		log "reusing kernel source in $src"
		return
	fi
	[ ! -e "$src" ] || die "$src exists but is not a kernel tree; remove it"
	log "unpacking $tarball into $src ..."
	rm -rf "$src.partial"
	mkdir -p "$src.partial"
	tar -xf "$tarball" -C "$src.partial" --strip-components=1
	[ -f "$src.partial/Makefile" ] || die "$tarball did not unpack to a kernel tree"
	mv "$src.partial" "$src"
}

kmake() { make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE="$cross" "$@"; }

# ---- init and the initramfs list -----------------------------------------

# update_file FILE: write stdin to FILE unless FILE already has that content
# (keeps its mtime, so make does not rebuild what depends on it)
update_file() {
	cat > "$1.new"
	if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv "$1.new" "$1"; fi
}

build_init() {
	local march=$1 dir=$obj/initramfs
	mkdir -p "$dir"
	"${cross}gcc" -march="$march" -mabi=lp64 -static -nostdlib -ffreestanding -O2 \
		-fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
		-fno-tree-loop-distribute-patterns -Wall -Wextra -Werror \
		-Wl,--build-id=none -o "$dir/init.new" "$here/init.c"
	"${cross}readelf" -h "$dir/init.new" | grep -q 'Type:[[:space:]]*EXEC' ||
		die "init is not a static ELF executable"
	! "${cross}readelf" -l "$dir/init.new" | grep -q INTERP ||
		die "init wants a dynamic loader"
	audit_elf "$dir/init.new" 0 "$march"
	# replace only when it changed, so that an unchanged tree does not relink
	if cmp -s "$dir/init.new" "$dir/init"; then
		rm -f "$dir/init.new"
	else
		mv "$dir/init.new" "$dir/init"
	fi
	log "init: $(stat -c %s "$dir/init") bytes, -march=$march"

	update_file "$dir/initramfs.list" <<-EOF
	# generated by guest-images/linux/build.sh (gen_init_cpio format)
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	dir /proc 0755 0 0
	dir /sys 0755 0 0
	file /init $dir/init 0755 0 0
	EOF
	printf 'CONFIG_INITRAMFS_SOURCE="%s"\n' "$dir/initramfs.list" | update_file "$obj/initramfs.config"
}

# ---- configuration -------------------------------------------------------

# Every CONFIG_X=v line of the fragments must appear verbatim in .config;
# every "# CONFIG_X is not set" must not be y or m there.
check_config() {
	local cfg=$obj/.config bad=() line sym have
	for frag in "$@"; do
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*)
				sym=${line%%=*}
				grep -qxF -- "$line" "$cfg" && continue ;;
			"# CONFIG_"*" is not set")
				sym=${line#\# }; sym=${sym%% *}
				grep -qE "^$sym=[ym]\$" "$cfg" || continue ;;
			*) continue ;;
			esac
			have=$(grep -E "^($sym=|# $sym is not set)" "$cfg" || true)
			bad+=("  wanted: $line    got: ${have:-nothing (dependencies not met?)}")
		done < "$frag"
	done
	if [ ${#bad[@]} -gt 0 ]; then
		printf 'build.sh: these options did not survive make olddefconfig (%s):\n' "$cfg" >&2
		printf '%s\n' "${bad[@]}" >&2
		die "${#bad[@]} wanted config option(s) missing for flavor $flavor; fix $(basename "$fragment")"
	fi
	log "config check: all options from $(basename "$fragment") are in .config"
}

configure() {
	log "configuring: tinyconfig + $(basename "$fragment")"
	kmake -s tinyconfig > "$obj/config.log" 2>&1 ||
		{ cat "$obj/config.log" >&2; die "make tinyconfig failed"; }
	# merge_config.sh puts its temporary files in the current directory
	(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "$fragment" "$obj/initramfs.config") >> "$obj/config.log" 2>&1 ||
		{ cat "$obj/config.log" >&2; die "merge_config.sh failed"; }
	kmake -s olddefconfig >> "$obj/config.log" 2>&1 ||
		{ cat "$obj/config.log" >&2; die "make olddefconfig failed"; }
	check_config "$fragment" "$obj/initramfs.config"
}

# ---- instruction-set audit -----------------------------------------------

# audit_elf FILE SKIP_HEADER MARCH: disassemble FILE and fail on floating-point
# instructions, and on compressed ones unless MARCH has 'c'. Other mnemonics
# outside RV64IMAC + Zicsr + Zifencei + privileged are listed as a warning.
audit_elf() {
	local file=$1 skip=$2 march=$3 allow_c=0 start=() report
	case ${march%%_*} in *c*) allow_c=1 ;; esac
	if [ "$skip" = 1 ]; then
		# the 64-byte RISC-V Image header at _start is data, not code
		local s
		s=$("${cross}nm" "$file" | awk '$3 == "_start" { print $1 }')
		[ -n "$s" ] || die "no _start symbol in $file"
		start=(--start-address="$(printf '0x%x' $((0x$s + 64)))")
	fi
	report=$("${cross}objdump" -d -M no-aliases "${start[@]}" "$file" | awk -v allow_c="$allow_c" '
		BEGIN {
			n = split("lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw ld lbu lhu lwu " \
				"sb sh sw sd addi slti sltiu xori ori andi slli srli srai add sub sll slt " \
				"sltu xor srl sra or and addiw slliw srliw sraiw addw subw sllw srlw sraw " \
				"fence fence.i fence.tso ecall ebreak mul mulh mulhsu mulhu div divu rem remu " \
				"mulw divw divuw remw remuw csrrw csrrs csrrc csrrwi csrrsi csrrci " \
				"sret mret wfi sfence.vma unimp " \
				"pause", ok, " ") # pause (Zihintpause) is a FENCE hint encoding
			for (i = 1; i <= n; i++) base[ok[i]] = 1
		}
		/^ *[0-9a-f]+:\t/ {
			split($0, f, "\t")
			m = f[3]; sub(/ .*/, "", m)
			if (m == "" || f[2] ~ /^0+ *$/) next # zero padding between functions
			if (m ~ /^c\./) {
				if (!allow_c) bad["compressed " m]++
				if (m ~ /^c\.f/) bad["float " m]++
				next
			}
			if (m ~ /^(lr|sc|amo[a-z]+)\.[wd](\.aq|\.rl|\.aqrl)?$/) next
			if (m ~ /^f/ && m !~ /^fence/) { bad["float " m]++; next }
			if (m ~ /^csrr/ && f[4] ~ /(^|,)(fflags|frm|fcsr)(,|$)/) { bad["float-csr " m " " f[4]]++; next }
			if (!(m in base)) other[m]++
		}
		END {
			for (k in bad) printf "BAD %s x%d\n", k, bad[k]
			for (k in other) printf "OTHER %s x%d\n", k, other[k]
		}')
	if grep -q '^OTHER' <<<"$report"; then
		log "warning: $(basename "$file") has instructions outside RV64IMAC+Zicsr+Zifencei:" \
			"$(grep '^OTHER' <<<"$report" | cut -d' ' -f2- | sort | tr '\n' ' ')"
	fi
	if grep -q '^BAD' <<<"$report"; then
		grep '^BAD' <<<"$report" | sort | head -20 >&2
		die "$(basename "$file") contains instructions its flavor must not have (see above)"
	fi
}

# ---- one flavor -----------------------------------------------------------

build_flavor() {
	flavor=$1
	local march suffix t0 t1 image
	case $flavor in
	rvwasm) fragment=$here/rvwasm.config; march=rv64imac_zicsr; suffix= ;;
	tiny)   fragment=$here/tiny.config;   march=rv64ima_zicsr;  suffix=-tiny ;;
	esac
	obj=$build_dir/obj-$flavor
	image=$build_dir/Image$suffix
	mkdir -p "$obj"
	t0=$SECONDS
	log "=== flavor $flavor: objects in $obj"

	build_init "$march"
	configure

	log "building Image with make -j$jobs (log: $obj/build.log) ..."
	if ! kmake -j"$jobs" Image > "$obj/build.log" 2>&1; then
		tail -40 "$obj/build.log" >&2
		die "kernel build failed for flavor $flavor (full log: $obj/build.log)"
	fi
	grep -E 'warning:|error:' "$obj/build.log" | head -5 || true

	cp "$obj/arch/riscv/boot/Image" "$image"
	cp "$obj/vmlinux" "$build_dir/vmlinux$suffix"
	if [ "$audit" = 1 ]; then
		log "auditing vmlinux instructions ..."
		audit_elf "$obj/vmlinux" 1 "$march"
		log "audit: no floating-point$([ "$flavor" = tiny ] && echo ' or compressed') instructions"
	fi
	t1=$SECONDS
	log "flavor $flavor done in $((t1 - t0)) s: $image ($(stat -c %s "$image") bytes)," \
		"Linux $(kmake -s kernelversion 2>/dev/null)"
}

check_tools
unpack_source
for f in $flavors; do
	build_flavor "$f"
done

log "boot with (QEMU; OpenSBI's fw_jump):"
for f in $flavors; do
	case $f in
	rvwasm) img=$build_dir/Image; cmdline="console=ttyS0 earlycon=sbi" ;;
	tiny)   img=$build_dir/Image-tiny; cmdline="console=ttyS0 earlycon" ;;
	esac
	log "  qemu-system-riscv64 -M virt -m 128 -nographic" \
		"-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf" \
		"-kernel ${img#"$repo"/} -append \"$cmdline\""
done
