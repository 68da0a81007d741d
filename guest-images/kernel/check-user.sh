#!/bin/sh
# check-user.sh OBJDUMP NM uprog.o - the user image must run at a different address than
# it is linked at (VA = PA - IMAGE_OFFSET), so:
#   - it may not call or reference anything outside itself (no undefined symbols), and
#   - its code and read-only data may hold no absolute addresses: only PC-relative
#     relocations are allowed in its allocated sections (debug sections do not matter).
set -e
OBJDUMP=$1 NM=$2 OBJ=$3
undef=$($NM -u "$OBJ")
if [ -n "$undef" ]; then
	echo "$OBJ: the user image references symbols outside itself:" >&2
	echo "$undef" >&2
	exit 1
fi
$OBJDUMP -r "$OBJ" | awk -v obj="$OBJ" '
	/^RELOCATION RECORDS FOR/ { sec = $4; next }
	sec == "" || sec ~ /^\[\.debug/ || $2 == "" || $2 == "TYPE" { next }
	$2 !~ /^R_RISCV_(PCREL_HI20|PCREL_LO12_I|PCREL_LO12_S|CALL|CALL_PLT|BRANCH|JAL|RVC_BRANCH|RVC_JUMP|RELAX)$/ {
		print obj ": absolute or unexpected relocation " $2 " in " sec " (" $3 ")" > "/dev/stderr"; bad = 1
	}
	END { exit bad }'
