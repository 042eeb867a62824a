import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** In a child process, because what the guard changes (whether the process survives) is process-wide. */
function runChild(withGuard: boolean): { status: number | null; stdout: string } {
  const script = `
    import { EventEmitter } from 'node:events';
    import { installCrashGuard } from './src-main/app/crash-guard.ts';
    const lines = [];
    const log = { error: (message) => lines.push(message) };
    if (${withGuard}) installCrashGuard(log);
    Promise.reject(new Error('nobody awaited this'));
    setTimeout(() => new EventEmitter().emit('error', new Error('nobody listened')), 10);
    setTimeout(() => { console.log(JSON.stringify(lines)); process.exit(0); }, 100);
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: child.status, stdout: child.stdout };
}

describe('crash guard', () => {
  it('without it, a rejected promise nobody awaited ends the process (what was found)', () => {
    expect(runChild(false).status).not.toBe(0);
  });

  it('with it, an unhandled rejection and an unlistened error event are logged and the process lives on', () => {
    const { status, stdout } = runChild(true);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['unhandled rejection kept from ending the process', 'uncaught exception kept from ending the process']);
  });
});
