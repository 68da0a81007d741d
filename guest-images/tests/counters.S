/*
 * counters.S - cycle/time/instret and mcycle/minstret:
 *   the counters advance; cycle/instret mirror mcycle/minstret; writes to mcycle and
 *   minstret are seen by later reads (within a window: QEMU counts host ticks); clearing
 *   mcountinhibit lets them run (stopping: rvwasm-strict.S); time follows the CLINT mtime; mcounteren gates cycle/time/instret for
 *   S and U, scounteren additionally for U (a denied read raises illegal instruction with
 *   mtval = the bits); mcycle/minstret are never accessible below M.
 */
#include "test.h"

/* \reg2 - \reg1 must be in [lo, hi] (unsigned) */
.macro CHECK_RANGE num, reg1, reg2, lo, hi
    li gp, \num
    sub t5, \reg2, \reg1
    li t6, \lo
    bltu t5, t6, fail_check
    li t6, \hi
    bltu t6, t5, fail_check
.endm

.macro CHECK_ILL num, label
    CHECK_TRAP \num, m_rec, CAUSE_ILLEGAL, \label
    la t6, \label
    lwu t6, 0(t6)
    li gp, (\num + 3)
    LDV t5, m_rec + REC_TVAL
    bne t5, t6, fail_check
.endm

/* read \csr in the current mode: must trap as illegal */
.macro T_DENY num, csr
    EXPECT_M
.Ld\@:
    csrr a0, \csr
    CHECK_ILL \num, .Ld\@
.endm

/* read \csr in the current mode: must work */
.macro T_ALLOW num, csr
    TRAP_RESET m_rec
    csrr a0, \csr
    CHECK_NOTRAP \num, m_rec
.endm

.macro BUSY n
    li a5, \n
.Lb\@:
    addi a5, a5, -1
    bnez a5, .Lb\@
.endm

TEST_BEGIN counters
    csrw mcountinhibit, zero
/* ------------------------------------------------------------ counting */
    csrr s0, instret
    BUSY 100
    csrr s1, instret
    CHECK_RANGE 1, s0, s1, 200, 0x7fffffffffffffff
    csrr s0, cycle
    BUSY 100
    csrr s1, cycle
    CHECK_RANGE 2, s0, s1, 1, 0x7fffffffffffffff
    csrr s0, minstret
    csrr s1, instret
    CHECK_RANGE 3, s0, s1, 0, 10000000
    csrr s0, mcycle
    csrr s1, cycle
    CHECK_RANGE 4, s0, s1, 0, 10000000
/* time advances and equals mtime */
    csrr s0, time
    BUSY 20000
    csrr s1, time
    CHECK_RANGE 5, s0, s1, 1, 0x7fffffffffffffff
    li a0, CLINT_MTIME
    csrr s0, time
    ld s1, 0(a0)
    CHECK_RANGE 6, s0, s1, 0, 100000
    ld s0, 0(a0)
    csrr s1, time
    CHECK_RANGE 7, s0, s1, 0, 100000

/* ------------------------------------------------------------ writes */
    li s0, 0x100000000000
    csrw minstret, s0
    csrr s1, minstret
    CHECK_RANGE 8, s0, s1, 0, 10000000
    csrr s1, instret
    CHECK_RANGE 9, s0, s1, 0, 10000000
    li s0, 0x200000000000
    csrw mcycle, s0
    csrr s1, mcycle
    CHECK_RANGE 10, s0, s1, 0, 10000000
    csrr s1, cycle
    CHECK_RANGE 11, s0, s1, 0, 10000000
    csrw minstret, zero
    csrr s1, minstret
    CHECK_RANGE 12, zero, s1, 0, 10000000

/* ------------------------------------------------------------ mcountinhibit
   (that CY/IR stop the counters is checked in rvwasm-strict.S: QEMU 7.2 reads 0) */
    csrw mcountinhibit, zero
    csrr s0, minstret
    BUSY 100
    csrr s1, minstret
    CHECK_RANGE 16, s0, s1, 200, 0x7fffffffffffffff

/* ------------------------------------------------------------ gating from S */
    csrw mcounteren, zero
    csrw scounteren, zero
    GO_S
    T_DENY 20, cycle
    T_DENY 24, time
    T_DENY 28, instret
    T_DENY 32, mcycle
    T_DENY 36, minstret
    GO_M
    li a0, 7
    csrw mcounteren, a0
    GO_S
    T_ALLOW 40, cycle
    T_ALLOW 41, time
    T_ALLOW 42, instret
    T_DENY 43, mcycle           /* M-level counters stay M-only */
    T_DENY 47, minstret
    GO_M
    .irp bit, 0, 1, 2
    li a0, 1 << \bit
    csrw mcounteren, a0
    GO_S
    .if \bit == 0
    T_ALLOW 51, cycle
    T_DENY 52, time
    T_DENY 56, instret
    .elseif \bit == 1
    T_DENY 60, cycle
    T_ALLOW 64, time
    T_DENY 65, instret
    .else
    T_DENY 69, cycle
    T_DENY 73, time
    T_ALLOW 77, instret
    .endif
    GO_M
    .endr
/* S reads the counter values, not something else */
    li a0, 7
    csrw mcounteren, a0
    GO_S
    csrr s0, time
    li a0, CLINT_MTIME
    ld s1, 0(a0)
    CHECK_RANGE 78, s0, s1, 0, 100000
    GO_M

/* ------------------------------------------------------------ gating from U */
    li a0, 7
    csrw mcounteren, a0
    csrw scounteren, zero
    GO_U
    T_DENY 80, cycle
    T_DENY 84, time
    T_DENY 88, instret
    GO_M
    csrw mcounteren, zero
    li a0, 7
    csrw scounteren, a0
    GO_U
    T_DENY 92, cycle
    T_DENY 96, time
    T_DENY 100, instret
    GO_M
    li a0, 7
    csrw mcounteren, a0
    csrw scounteren, a0
    GO_U
    T_ALLOW 104, cycle
    T_ALLOW 105, time
    T_ALLOW 106, instret
    T_DENY 107, mcycle
    GO_M
    .irp bit, 0, 1, 2
    li a0, 1 << \bit
    csrw mcounteren, a0
    csrw scounteren, a0
    GO_U
    .if \bit == 0
    T_ALLOW 111, cycle
    T_DENY 112, time
    T_DENY 116, instret
    .elseif \bit == 1
    T_DENY 120, cycle
    T_ALLOW 124, time
    T_DENY 125, instret
    .else
    T_DENY 129, cycle
    T_DENY 133, time
    T_ALLOW 137, instret
    .endif
    GO_M
    .endr
    /* mcounteren all, scounteren only TM */
    li a0, 7
    csrw mcounteren, a0
    li a0, 2
    csrw scounteren, a0
    GO_U
    T_DENY 140, cycle
    T_ALLOW 144, time
    T_DENY 145, instret
    GO_M
    csrw mcounteren, zero
    csrw scounteren, zero
TEST_END
