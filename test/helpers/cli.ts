// Running the built CLI the way a user does, and what every bad-input case must look like.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

export const CLI = join(__dirname, '../../dist/cli.js');

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** Runs `rvwasm args...` with `input` on stdin (bytes as latin1 text). */
export function runCli(args: string[], input = ''): CliResult {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: 'latin1', input, timeout: 120_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Bad input: exit 2 with exactly one line on stderr and no stack trace. */
export function expectUsageError(res: CliResult, pattern: RegExp): void {
  expect(res.status).toBe(2);
  const lines = res.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rvwasm: /);
  expect(lines[0]).toMatch(pattern);
  expect(res.stderr).not.toMatch(/\n\s+at /);
}
