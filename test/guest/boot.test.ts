// Real firmware and kernels on the virt board: the monitor's SBI checked by a guest,
// Debian's OpenSBI and U-Boot to an interactive prompt, and Linux to its init and a clean
// poweroff in both MMU modes, with and without OpenSBI. Each needs files that may be
// missing (Debian packages; the kernel build): such a test is skipped, and says so.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Machine, MemoryBlockBackend } from '../../src/api/index.js';
import { bootAndRun, cpioNewc, FW_DYNAMIC, FW_JUMP, LINUX_IMAGE, LINUX_TINY_IMAGE, present, read, SBI_CHECK, UBOOT } from '../helpers/boot.js';

const haveOpenSbi = present(FW_JUMP, 'OpenSBI boots', 'apt-get install opensbi');
const haveUboot = haveOpenSbi && present(UBOOT, 'U-Boot boots', 'apt-get install u-boot-qemu');
const haveLinux = present(LINUX_IMAGE, 'Linux boots', 'guest-images/linux/build.sh builds it');
const haveTiny = haveOpenSbi && present(LINUX_TINY_IMAGE, 'the tinyconfig kernel boot', 'guest-images/linux/build.sh --flavor tiny builds it');

/** Linux boots in about 50 million instructions; this leaves room without letting a hang run long. */
const LINUX_MAX_INSNS = 400_000_000;
const INIT_MARKER = 'rvwasm-init: reached userspace';

describe('the monitor\'s SBI (--bios none)', () => {
  for (const [name, options] of [
    ['jit, shadow', { mmu: 'shadow' }],
    ['jit, ept', { mmu: 'ept' }],
    ['interp', { engine: 'interp' }],
  ] as const) {
    it(`passes the SBI self-check (${name}) and counts the calls`, () => {
      const { outcome, output, machine } = bootAndRun(options, { bios: null, kernel: read(SBI_CHECK) }, 50_000_000);
      expect(output).toContain('sbi-check: all checks passed');
      expect(outcome).toEqual({ kind: 'exit', code: 0 });
      const sbi = machine.counters().sbi!;
      expect(sbi['base.probe_extension']).toBe(7);
      expect(sbi['time.set_timer']).toBe(2);
      expect(sbi['srst.system_reset']).toBe(1);
      expect(sbi['dbcn.console_write']).toBe(1);
      expect(sbi['legacy-putchar']).toBeGreaterThan(40);
    });
  }
});

describe.skipIf(!haveOpenSbi)('Debian\'s OpenSBI', () => {
  for (const [name, firmware] of [['fw_jump', FW_JUMP], ['fw_dynamic', FW_DYNAMIC]] as const) {
    it(`${name} boots and serves the same SBI self-check`, () => {
      const { outcome, output, machine } = bootAndRun({}, { bios: read(firmware), kernel: read(SBI_CHECK) }, 200_000_000);
      expect(output).toMatch(/OpenSBI v\d/);
      expect(output).toContain('sbi-check: all checks passed');
      expect(outcome).toEqual({ kind: 'exit', code: 0 }); // through OpenSBI's sifive_test reset driver
      expect(machine.counters().sbi).toBeNull(); // the firmware served every call
    });
  }
});

describe.skipIf(!haveUboot)('OpenSBI then U-Boot', () => {
  it('reaches the => prompt and answers a command typed at it', () => {
    const answer = /\r?\nrvwasm says qemu-riscv\r?\n/;
    const { output, typed } = bootAndRun({}, { bios: read(FW_JUMP), kernel: read(UBOOT) }, 1_500_000_000, [
      { prompt: '=>', input: 'echo rvwasm says $board\r' },
    ], answer);
    expect(output).toContain('U-Boot 2023');
    expect(typed).toBe(1);
    // The echo's output on a line of its own (the typed command line has the unexpanded $board).
    expect(output).toMatch(answer);
  });
});

describe.skipIf(!haveLinux)('Linux', () => {
  const kernel = haveLinux ? read(LINUX_IMAGE) : new Uint8Array();
  for (const mmu of ['shadow', 'ept']) {
    for (const firmware of [null, FW_JUMP]) {
      const name = `${mmu}, ${firmware ? 'OpenSBI fw_jump' : 'the monitor\'s SBI'}`;
      it.skipIf(firmware !== null && !haveOpenSbi)(`reaches init and powers off cleanly (${name})`, () => {
        const disk = new Uint8Array(64 * 1024);
        disk.set(new TextEncoder().encode('rvwasm-disk-0123'));
        const { outcome, output, machine } = bootAndRun({ mmu, drives: [new MemoryBlockBackend(disk)], rng: true },
          { bios: firmware ? read(firmware) : null, kernel, append: 'console=ttyS0' }, LINUX_MAX_INSNS);
        expect(output).toContain(INIT_MARKER);
        expect(output).toContain('rvwasm-init: uname: Linux 6.1');
        expect(output).toContain(`rvwasm-init: vda first bytes: ${Buffer.from('rvwasm-disk-0123').toString('hex')}`);
        expect(output).toContain('rvwasm-init: done, 0 failures, powering off');
        expect(output).toContain('reboot: Power down');
        expect(outcome).toEqual({ kind: 'exit', code: 0 });
        const stats = machine.counters();
        if (firmware === null) expect(stats.sbi!['srst.system_reset']).toBe(1);
        expect(stats.jit!.mmu.mode).toBe(mmu);
      });
    }
  }

  it('boots exactly as on the interpreter, initrd and all: the same output, instruction count, registers, CSRs and RAM', () => {
    // No entropy device: its bytes are random, and what the kernel does with them may differ.
    // With an initrd of our own: the kernel unpacks it over the built-in initramfs.
    const initrd = cpioNewc({ 'rvwasm-initrd.txt': 'delivered by the boot loader\n' });
    const boot = { bios: null, kernel, initrd, append: 'console=ttyS0 rvwasm.test=diff' };
    const interp = bootAndRun({ engine: 'interp' }, boot, LINUX_MAX_INSNS);
    expect(interp.output).toContain('rvwasm.test=diff');
    expect(interp.output).toContain('rvwasm-init: initrd: delivered by the boot loader');
    expect(interp.outcome).toEqual({ kind: 'exit', code: 0 });
    const want = finalState(interp.machine);
    // The defaults (mostly the fast interpreter), and a low compile threshold (mostly compiled code).
    for (const jitOptions of [{}, { compileThreshold: 500 }]) {
      const jit = bootAndRun({ jit: jitOptions }, boot, LINUX_MAX_INSNS);
      expect(jit.outcome).toEqual(interp.outcome);
      expect(jit.output).toBe(interp.output);
      expect(finalState(jit.machine)).toEqual(want);
      expect(jit.machine.counters().sbi).toEqual(interp.machine.counters().sbi);
      const e = jit.machine.counters().jit!.executors;
      expect(e.fastInterpreter + e.tier1 + e.tier2 + e.monitor).toBe(Number(want.instructions));
      if ('compileThreshold' in jitOptions) expect(e.tier1 + e.tier2).toBeGreaterThan(e.fastInterpreter / 10);
      else expect(e.fastInterpreter).toBeGreaterThan(e.tier1 + e.tier2);
    }
  });
});

/** What a boot leaves that the guest could see: counts, registers, CSRs, and RAM (as a hash). */
function finalState(m: Machine) {
  const csrs = [0x100, 0x104, 0x105, 0x106, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180, 0x300, 0x302, 0x303, 0x304, 0x305, 0x341, 0x342, 0x343];
  return {
    instructions: m.instructionCount, pc: m.pc, privilege: m.privilege,
    registers: Array.from({ length: 32 }, (_, i) => m.getRegister(i)),
    csrs: csrs.map((n) => `${n.toString(16)}=${m.readCsr(n).toString(16)}`),
    ram: createHash('sha256').update(m.readMemory(0x8000_0000n, 128 << 20)).digest('hex'),
  };
}

describe.skipIf(!haveTiny)('an independent tinyconfig kernel (no FPU, no compressed instructions)', () => {
  it('boots with Debian\'s OpenSBI to its init', () => {
    const { outcome, output } = bootAndRun({}, { bios: read(FW_JUMP), kernel: read(LINUX_TINY_IMAGE), append: 'console=ttyS0' }, LINUX_MAX_INSNS);
    expect(output).toContain(INIT_MARKER);
    expect(outcome).toEqual({ kind: 'exit', code: 0 });
  });
});
