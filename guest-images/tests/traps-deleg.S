/*
 * traps-deleg.S - exception delegation with medeleg:
 *   delegated exceptions raised in S or U go to the S handler (stvec): scause, sepc,
 *   stval (instruction bits / address / 0 for ecall), sstatus.SPP = previous mode,
 *   SPIE = previous SIE, SIE cleared, sret restores SIE; the M handler sees nothing;
 *   ecall from U (bit 8) and from S (bit 9) delegated separately; a cause whose bit is
 *   clear still goes to M while others are delegated; traps raised in M are never
 *   delegated; with stvec in vectored mode exceptions still enter at the base.
 *   (Delegated page faults: sv39.S; delegated misaligned accesses: rvwasm-strict.S.)
 */
#include "test.h"

/* a trap delegated to S: cause, tval (-1 = not checked), SPP */
.macro T_SEXC num, cause, tval, spp, insn:vararg
    TRAP_RESET m_rec
    EXPECT_S
    li a7, 0                    /* an ecall here is not a runtime request */
.Ls\@:
    \insn
    CHECK_TRAP \num, s_rec, \cause, .Ls\@
    .if \tval != -1
    CHECK_REC (\num + 3), s_rec, REC_TVAL, \tval
    .endif
    LDV t5, s_rec + REC_STATUS
    CHECKM (\num + 4), t5, MSTATUS_SPP, (\spp << 8)
    CHECK_NOTRAP (\num + 5), m_rec
.endm

/* a trap that must go to M */
.macro T_MEXC num, cause, insn:vararg
    TRAP_RESET s_rec
    EXPECT_M
    li a7, 0
.Lm\@:
    \insn
    CHECK_TRAP \num, m_rec, \cause, .Lm\@
    CHECK_NOTRAP (\num + 3), s_rec
.endm

/* delegated set from privilege \spp (0 = U, 1 = S), numbered from \b */
.macro DELEG_SET b, spp
    li s0, 0
    li s1, 8
    T_SEXC (\b + 0), CAUSE_ILLEGAL, 0xc0001073, \spp, .word 0xc0001073
    T_SEXC (\b + 6), CAUSE_ILLEGAL, 0x30200073, \spp, mret
    T_SEXC (\b + 12), CAUSE_BREAKPOINT, -1, \spp, ebreak
    T_SEXC (\b + 18), CAUSE_LOAD_ACCESS, 8, \spp, ld a0, 0(s1)
    T_SEXC (\b + 24), CAUSE_STORE_ACCESS, 0, \spp, sw a0, 0(s0)
    TRAP_RESET m_rec
    EXPECT_S
    RESUME_AT s_rec, .Lf\@, -1
    jalr ra, 0(s1)
    FAIL (\b + 30)
.Lf\@:
    CHECK_REC (\b + 31), s_rec, REC_COUNT, 1
    CHECK_REC (\b + 32), s_rec, REC_CAUSE, CAUSE_FETCH_ACCESS
    CHECK_REC (\b + 33), s_rec, REC_EPC, 8
    CHECK_REC (\b + 34), s_rec, REC_TVAL, 8
    CHECK_NOTRAP (\b + 35), m_rec
.endm

#define DELEG_ALL ((1 << CAUSE_FETCH_ACCESS) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_STORE_ACCESS) | (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE))

TEST_BEGIN traps-deleg
    li a7, 0
    csrw mideleg, zero
    csrw mie, zero
    li a0, DELEG_ALL
    csrw medeleg, a0
/* ------------------------------------------------------------ from S and from U */
    GO_S
    DELEG_SET 1, 1
    GO_M
    GO_U
    DELEG_SET 40, 0
    GO_M

/* ------------------------------------------------------------ SIE -> SPIE, sret restores */
    GO_S
    csrsi sstatus, MSTATUS_SIE  /* sie = 0 and nothing pending for S */
    T_SEXC 80, CAUSE_ILLEGAL, 0xc0001073, 1, .word 0xc0001073
    LDV a0, s_rec + REC_STATUS
    CHECKM 86, a0, MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SPIE
    csrr a0, sstatus
    CHECKM 87, a0, MSTATUS_SIE, MSTATUS_SIE
    csrci sstatus, MSTATUS_SIE
/* ------------------------------------------------------------ vectored stvec: base for exceptions */
    la a0, s_vec_table + 1
    csrw stvec, a0
    T_SEXC 88, CAUSE_BREAKPOINT, -1, 1, ebreak
    CHECK_REC 94, s_rec, REC_VEC, 0
    la a0, s_trap_entry
    csrw stvec, a0
    GO_M

/* ------------------------------------------------------------ ecall delegation */
    li a0, 1 << CAUSE_ECALL_U
    csrw medeleg, a0
    GO_U
    li a7, 0
    T_SEXC 100, CAUSE_ECALL_U, 0, 0, ecall
    U_GO_S                      /* the S handler moves us to S */
    T_MEXC 106, CAUSE_ECALL_S, ecall    /* bit 9 clear: to M */
    GO_M
    li a0, 1 << CAUSE_ECALL_S
    csrw medeleg, a0
    GO_S
    li a7, 0
    T_SEXC 110, CAUSE_ECALL_S, 0, 1, ecall
    S_GO_U                      /* (an ecall from S would go to S now) */
    T_MEXC 116, CAUSE_ECALL_U, ecall    /* bit 8 clear: to M */
    /* back to M through an illegal instruction that goes to M */
    TRAP_RESET m_rec
    RESUME_AT m_rec, 1f, PRV_M
    mret
1:  CHECK_REC 120, m_rec, REC_CAUSE, CAUSE_ILLEGAL

/* ------------------------------------------------------------ selective: only illegal delegated */
    li a0, 1 << CAUSE_ILLEGAL
    csrw medeleg, a0
    GO_S
    T_SEXC 121, CAUSE_ILLEGAL, 0xc0001073, 1, .word 0xc0001073
    T_MEXC 127, CAUSE_BREAKPOINT, ebreak
    li s1, 8
    T_MEXC 131, CAUSE_LOAD_ACCESS, ld a0, 0(s1)
    GO_M

/* ------------------------------------------------------------ traps in M are never delegated */
    li a0, DELEG_ALL | (1 << CAUSE_ECALL_U) | (1 << CAUSE_ECALL_S)
    csrw medeleg, a0
    T_MEXC 140, CAUSE_ILLEGAL, .word 0xc0001073
    T_MEXC 144, CAUSE_BREAKPOINT, ebreak
    li s1, 8
    T_MEXC 148, CAUSE_LOAD_ACCESS, ld a0, 0(s1)
    T_MEXC 152, CAUSE_STORE_ACCESS, sd a0, 0(s1)
    T_MEXC 156, CAUSE_ECALL_M, ecall
    csrw medeleg, zero
TEST_END
