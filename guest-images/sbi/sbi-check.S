# sbi-check: an S-mode program that checks the SBI implementation under it, booted as
# a kernel (at 0x80200000, a0 = hart id, a1 = device tree). It runs under rvwasm's own
# SBI (rvwasm boot --bios none) and under OpenSBI (--bios fw_jump.elf), and checks only
# what the SBI specification promises, so both must pass. Output goes through the legacy
# console putchar, which both serve; the result is the last line and the way it powers
# off: SRST shutdown with reason "none" (pass) or "system failure" (fail).
#
# Register use: s0 = number of the current check, s1 = trap count (the handler bumps
# it), s2 = the last scause the handler saw. The trap handler only touches t5, t6 and
# s1, s2, so the checks keep their state in the other registers across a trap.

#define EXT_BASE    0x10
#define EXT_TIME    0x54494D45
#define EXT_IPI     0x735049
#define EXT_RFENCE  0x52464E43
#define EXT_HSM     0x48534D
#define EXT_SRST    0x53525354
#define EXT_DBCN    0x4442434E
#define DBCN_MSG_LEN 29

#define SIE_SSIE    (1 << 1)
#define SIE_STIE    (1 << 5)
#define SSTATUS_SIE (1 << 1)
#define SSTATUS_SPP (1 << 8)

# sbi ext, fid: a call with the arguments already in a0..a5.
.macro sbi ext, fid
    li a7, \ext
    li a6, \fid
    ecall
.endm

# check n: starts check number n.
.macro check n
    li s0, \n
.endm

# expect reg, value: fails the current check unless reg == value.
.macro expect reg, value
    li t0, \value
    bne \reg, t0, fail
.endm

    .section .text.start, "ax"
    .globl _start
_start:
    la sp, stack_top
    la t0, trap
    csrw stvec, t0
    li s1, 0
    li s2, 0
    la a0, msg_start
    call puts

    check 1                         # base: a spec version of 1.0 or later
    sbi EXT_BASE, 0
    expect a0, 0
    li t0, 0x01000000
    bltu a1, t0, fail

    check 2                         # base: the extensions a kernel needs are there
    li a0, EXT_TIME
    call probe
    beqz a0, fail
    li a0, EXT_IPI
    call probe
    beqz a0, fail
    li a0, EXT_RFENCE
    call probe
    beqz a0, fail
    li a0, EXT_SRST
    call probe
    beqz a0, fail
    li a0, EXT_HSM
    call probe
    beqz a0, fail
    li a0, 0x0A123456               # an extension nobody defines
    call probe
    bnez a0, fail

    check 3                         # an unknown extension: SBI_ERR_NOT_SUPPORTED
    sbi 0x0A123456, 0
    expect a0, -2
    sbi EXT_BASE, 99                # an unknown base function: the same
    expect a0, -2

    check 4                         # base: mvendorid, marchid, mimpid and impl id answer
    sbi EXT_BASE, 1
    expect a0, 0
    sbi EXT_BASE, 4
    expect a0, 0
    sbi EXT_BASE, 5
    expect a0, 0
    sbi EXT_BASE, 6
    expect a0, 0

    check 5                         # HSM: hart 0 (this one) is started
    li a0, 0
    sbi EXT_HSM, 2
    expect a0, 0
    expect a1, 0

    check 6                         # TIME: set_timer raises the supervisor timer interrupt
    li t0, SIE_STIE
    csrw sie, t0
    csrr s3, time
    addi a0, s3, 1000
    li s2, 0
    sbi EXT_TIME, 0
    expect a0, 0
    csrsi sstatus, SSTATUS_SIE
1:  wfi
    beqz s2, 1b
    csrci sstatus, SSTATUS_SIE
    li t0, 0x8000000000000005
    bne s2, t0, fail
    csrr t0, time                   # not before the time asked for
    addi t1, s3, 1000
    bltu t0, t1, fail
    csrr t0, sip                    # the handler's set_timer(-1) cleared STIP
    andi t0, t0, 1 << 5
    bnez t0, fail

    check 7                         # IPI: send_ipi to this hart raises SSIP
    li t0, SIE_SSIE
    csrw sie, t0
    li s2, 0
    li a0, 1                        # hart mask: hart 0
    li a1, 0                        # mask base 0
    sbi EXT_IPI, 0
    expect a0, 0
    csrsi sstatus, SSTATUS_SIE
1:  beqz s2, 1b
    csrci sstatus, SSTATUS_SIE
    li t0, 0x8000000000000001
    bne s2, t0, fail
    csrw sie, zero

    check 8                         # RFENCE: fence.i and sfence.vma on every hart
    li a0, 0
    li a1, -1                       # mask base -1: all harts
    sbi EXT_RFENCE, 0
    expect a0, 0
    li a0, 0
    li a1, -1
    li a2, 0
    li a3, -1                       # the whole address space
    sbi EXT_RFENCE, 1
    expect a0, 0

    check 9                         # an ecall from U-mode reaches S-mode, not the SBI
    li s2, 0
    la t0, user_code
    csrw sepc, t0
    li t0, SSTATUS_SPP
    csrc sstatus, t0                # sret to U
    sret
back_from_user:
    expect s2, 8                    # cause 8: environment call from U-mode

    check 10                        # DBCN, where offered (SBI 2.0): write and write_byte
    li a0, EXT_DBCN
    call probe
    beqz a0, 1f
    la a1, msg_dbcn
    li a0, DBCN_MSG_LEN
    li a2, 0
    sbi EXT_DBCN, 0
    expect a0, 0
    li t0, DBCN_MSG_LEN
    bne a1, t0, fail
    li a0, '\n'
    sbi EXT_DBCN, 2
    expect a0, 0
1:
    la a0, msg_pass
    call puts
    li a0, 0                        # shutdown
    li a1, 0                        # reason: none
    sbi EXT_SRST, 0
    j hang                          # not reached

fail:
    la a0, msg_fail
    call puts
    addi a0, s0, '0'                # checks 1..9 as a digit, 10 and up as ':' onwards
    call putc
    li a0, '\n'
    call putc
    li a0, 0                        # shutdown
    li a1, 1                        # reason: system failure
    sbi EXT_SRST, 0
hang:
    wfi
    j hang

# probe(a0 = extension id) -> a0 = the probe's value (0 when absent).
probe:
    sbi EXT_BASE, 3
    bnez a0, fail                   # probe_extension itself never fails
    mv a0, a1
    ret

# putc(a0 = character), through the legacy console.
putc:
    li a7, 1
    ecall
    ret

# puts(a0 = NUL-terminated string).
puts:
    mv t2, a0
    mv t3, ra
1:  lbu a0, 0(t2)
    beqz a0, 2f
    call putc
    addi t2, t2, 1
    j 1b
2:  mv ra, t3
    ret

user_code:
    ecall                           # traps to S with cause 8
    j hang

    .balign 4
trap:
    csrr s2, scause
    addi s1, s1, 1
    bltz s2, interrupt
    li t6, 8
    bne s2, t6, unexpected
    la t6, back_from_user           # the U-mode ecall: go back to S at the check
    csrw sepc, t6
    li t6, SSTATUS_SPP
    csrs sstatus, t6
    sret
interrupt:
    slli t6, s2, 1
    srli t6, t6, 1
    li t5, 5
    beq t6, t5, timer
    li t5, 1
    bne t6, t5, unexpected
    csrci sip, SIE_SSIE             # software interrupt: acknowledge it
    sret
timer:
    mv t6, a0                       # set_timer(-1) clears STIP; a0, a1, a6, a7 are kept
    mv t5, a1
    csrw sscratch, a6
    li a0, -1
    sbi EXT_TIME, 0
    mv a0, t6
    mv a1, t5
    csrr a6, sscratch
    li a7, 0
    sret
unexpected:
    li s0, 99
    j fail

    .section .rodata
msg_start: .asciz "sbi-check: start\n"
msg_pass:  .asciz "sbi-check: all checks passed\n"
msg_fail:  .asciz "sbi-check: FAIL at check "
msg_dbcn:  .ascii "sbi-check: dbcn console_write"   # DBCN_MSG_LEN bytes

    .section .bss
    .balign 16
stack: .space 4096
stack_top:
