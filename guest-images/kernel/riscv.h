/*
 * riscv.h - the privileged-architecture facts the kernel uses: CSR bits, trap causes,
 * Sv39 PTE bits, the machine's device addresses, and inline CSR / fence helpers.
 * Usable from C and from assembly (the C part is guarded).
 */
#ifndef MINIKERNEL_RISCV_H
#define MINIKERNEL_RISCV_H

/* ---------------------------------------------------------------- the machine (virt) */
#define RAM_BASE        0x80000000
#define FINISHER        0x00100000
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define UART_BASE       0x10000000
#define CLINT_MTIMECMP  0x02004000      /* hart 0 */
#define CLINT_MTIME     0x0200bff8

/* ---------------------------------------------------------------- status and interrupts */
#define MSTATUS_SIE     (1 << 1)
#define MSTATUS_MIE     (1 << 3)
#define MSTATUS_SPIE    (1 << 5)
#define MSTATUS_MPIE    (1 << 7)
#define MSTATUS_SPP     (1 << 8)
#define MSTATUS_MPP     (3 << 11)
#define MSTATUS_MPP_S   (1 << 11)
#define SSTATUS_SPP     MSTATUS_SPP

#define IRQ_S_TIMER     5
#define IRQ_M_TIMER     7
#define MIP_STIP        (1 << IRQ_S_TIMER)
#define MIP_MTIP        (1 << IRQ_M_TIMER)
#define MIE_STIE        MIP_STIP
#define MIE_MTIE        MIP_MTIP

/* ---------------------------------------------------------------- exception causes */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15

/* Everything a user program can raise goes to S; ecall from S (the timer call) stays in M. */
#define MEDELEG_BITS ((1 << CAUSE_MISALIGNED_FETCH) | (1 << CAUSE_FETCH_ACCESS) | \
                      (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | \
                      (1 << CAUSE_MISALIGNED_LOAD) | (1 << CAUSE_LOAD_ACCESS) | \
                      (1 << CAUSE_MISALIGNED_STORE) | (1 << CAUSE_STORE_ACCESS) | \
                      (1 << CAUSE_ECALL_U) | (1 << CAUSE_FETCH_PAGE) | \
                      (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE))

/* The one M-mode service S may call (ecall, a7 = 0): set_timer(a0 = absolute mtime). */
#define SBI_SET_TIMER   0

/* ---------------------------------------------------------------- Sv39 */
#define SATP_SV39       (8UL << 60)
#define PTE_V           (1 << 0)
#define PTE_R           (1 << 1)
#define PTE_W           (1 << 2)
#define PTE_X           (1 << 3)
#define PTE_U           (1 << 4)
#define PTE_G           (1 << 5)
#define PTE_A           (1 << 6)
#define PTE_D           (1 << 7)
#define PTE_COW         (1 << 8)        /* RSW bit 8: copy-on-write (W was cleared by fork) */
#define PTE_PPN_SHIFT   10

#ifndef __ASSEMBLER__
#include <stdint.h>

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" :: "r"((uint64_t)(val)) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " #csr ", %0" :: "r"((uint64_t)(val)) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" :: "r"((uint64_t)(val)) : "memory")

/* The fences the spec asks for after PTE changes (rs2 = x0: ASID 0 is the only one used). */
static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

static inline void sfence_vma_va(uint64_t va)
{
	__asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
}

static inline uint64_t pte_pa(uint64_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << 12;
}

static inline uint64_t pa_pte(uint64_t pa, uint64_t flags)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | flags;
}
#endif

#endif
