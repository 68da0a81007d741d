// `rvwasm boot` as a user meets it: help, one-line errors, the device tree dump, the
// monitor's SBI, and the console's Ctrl-A commands.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EscapeFilter } from '../../src/cli/console.js';
import { FW_JUMP, SBI_CHECK, UBOOT } from '../helpers/boot.js';
import { CLI, expectUsageError, runCli } from '../helpers/cli.js';

const ECHO = join(__dirname, '../../guest-images/build/io/uart-echo.elf');
const dir = mkdtempSync(join(tmpdir(), 'rvwasm-boot-'));
const haveDtc = spawnSync('dtc', ['--version']).status === 0;
const haveUboot = existsSync(FW_JUMP) && existsSync(UBOOT);
if (!haveUboot) console.warn(`SKIPPED: U-Boot reboot tests: ${FW_JUMP} or ${UBOOT} is missing (apt-get install opensbi u-boot-qemu)`);
if (!haveDtc) console.warn('SKIPPED: decompiling --dumpdtb output: dtc is not installed (apt-get install device-tree-compiler)');

const rvwasm = runCli;

describe('rvwasm boot', () => {
  it('prints its help', () => {
    const res = rvwasm(['boot', '--help']);
    expect(res.status).toBe(0);
    for (const option of ['--bios', '--kernel', '--initrd', '--append', '--drive', '--dumpdtb', 'Ctrl-A x']) {
      expect(res.stdout).toContain(option);
    }
    expect(rvwasm(['--help']).stdout).toContain('rvwasm boot');
  });

  it('rejects bad input with one line and status 2', () => {
    expectUsageError(rvwasm(['boot']), /needs --kernel/);
    expectUsageError(rvwasm(['boot', '--kernel']), /--kernel needs a file name/);
    expectUsageError(rvwasm(['boot', '--kernel', join(dir, 'missing')]), /no such file/);
    expectUsageError(rvwasm(['boot', '--kernel', dir]), /is a directory/);
    expectUsageError(rvwasm(['boot', 'Image']), /unexpected argument "Image"/);
    expectUsageError(rvwasm(['boot', '--kernel', SBI_CHECK, '--drive', join(dir, 'no-disk.img')]), /no-disk\.img/);
    expectUsageError(rvwasm(['boot', '--kernel', SBI_CHECK, '-m', '0']), /memory size/);
    const tooMany = Array.from({ length: 8 }, () => ['--drive', SBI_CHECK]).flat();
    expectUsageError(rvwasm(['boot', '--kernel', SBI_CHECK, ...tooMany]), /at most 7 drives/);
    const garbage = join(dir, 'garbage.elf');
    writeFileSync(garbage, Buffer.from('\x7fELF not really an ELF file at all, just bytes'));
    expectUsageError(rvwasm(['boot', '--kernel', garbage]), /garbage\.elf/);
  });

  it('serves SBI itself with --bios none and reports the calls in --stats', () => {
    const res = rvwasm(['boot', '--kernel', SBI_CHECK, '--stats']);
    expect(res.stdout).toContain('sbi-check: all checks passed');
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/SBI calls \(monitor\) .*srst\.system_reset 1/);
  });

  it.skipIf(!haveDtc)('writes a device tree that dtc reads back with the options given', () => {
    const blob = join(dir, 'virt.dtb');
    const res = rvwasm(['boot', '--dumpdtb', blob, '-m', '256', '--append', 'console=ttyS0 quiet', '--drive', SBI_CHECK]);
    expect(res.status).toBe(0);
    const dts = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', blob], { encoding: 'utf8' });
    expect(dts.status).toBe(0);
    expect(dts.stderr).toBe('');
    expect(dts.stdout).toContain('bootargs = "console=ttyS0 quiet"');
    expect(dts.stdout).toMatch(/memory@80000000 \{[^}]*reg = <0x00 0x80000000 0x00 0x10000000>/);
    expect(dts.stdout).toContain('riscv,isa = "rv64imac_zicsr_zifencei"');
    expect(dts.stdout).toContain('timebase-frequency = <0x989680>');
    expect(dts.stdout.match(/virtio,mmio/g)).toHaveLength(8);
    expect(readFileSync(blob).readUInt32BE(0)).toBe(0xd00dfeed);
  });

  it('quits on Ctrl-A x, passes Ctrl-A Ctrl-A through, and keeps other input for the guest', async () => {
    // uart-echo (M-mode, run as the firmware) echoes what it reads; 'q' would end it with a pass.
    const child = spawn(process.execPath, [CLI, 'boot', '--bios', ECHO], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('latin1'); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1');
      // Ctrl-A x quits at once, as on QEMU: type it only once the echo has come back.
      if (stdout === 'ab\x01c') child.stdin.write('\x01xq');
    });
    child.stdin.write('ab\x01\x01c');
    expect(await exited).toBe(130);
    expect(stdout).toBe('ab\x01c');
    expect(stderr).toContain('terminated by Ctrl-A x');
    const plain = rvwasm(['boot', '--bios', ECHO, '--no-escape'], 'a\x01xq');
    expect(plain.stdout).toBe('a\x01xq');
    expect(plain.status).toBe(0);
  });
});

/** Starts `rvwasm args...`; `respond(stdout, write)` sees the output as it grows. */
function converse(args: string[], respond: (stdout: string, write: (s: string) => void) => void) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString('latin1'); });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('latin1');
    respond(stdout, (s) => child.stdin.write(s));
  });
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (status) => resolve({ status, stdout, stderr })));
}

describe.skipIf(!haveUboot)('rvwasm boot with OpenSBI and U-Boot', () => {
  const firmware = ['boot', '--icount', '--bios', FW_JUMP, '--kernel', UBOOT];
  const prompts = (s: string) => s.split('\n=> ').length - 1;

  it('starts the machine again when the guest resets it', async () => {
    const res = await converse(firmware, (stdout, write) => {
      if (stdout.endsWith('\n=> ') && prompts(stdout) === 1) write('reset\r');
      if (stdout.endsWith('\n=> ') && prompts(stdout) === 2) write('\x01x');
    });
    expect(res.stdout.match(/OpenSBI v1/g)).toHaveLength(2);
    expect(res.stderr).toContain('rvwasm: rebooting');
    expect(res.status).toBe(130);
  }, 60_000);

  it('stops at a reset with --no-reboot', async () => {
    const res = await converse([...firmware, '--no-reboot'], (stdout, write) => {
      if (stdout.endsWith('\n=> ')) write('reset\r');
    });
    expect(res.stdout.match(/OpenSBI v1/g)).toHaveLength(1);
    expect(res.stderr).toContain('stopping (--no-reboot)');
    expect(res.status).toBe(0);
  }, 60_000);
});

describe('the console escape filter', () => {
  it('keeps state across reads and drops unknown commands', () => {
    const f = new EscapeFilter();
    expect(f.feed(Uint8Array.from([0x61, 0x01]))).toEqual({ forward: Uint8Array.from([0x61]), commands: [] });
    expect(f.feed(Uint8Array.from([0x78, 0x62]))).toEqual({ forward: Uint8Array.from([0x62]), commands: ['quit'] });
    expect(f.feed(Uint8Array.from([0x01, 0x7a, 0x01, 0x68, 0x01, 0x73]))).toEqual({ forward: new Uint8Array(), commands: ['help', 'stats'] });
  });
});
