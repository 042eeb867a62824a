import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertSerialDevice } from './serial-device';
import { SerialLink } from './serial-link';

const dir = mkdtempSync(join(tmpdir(), 'han-serial-'));
const file = join(dir, 'not-a-port');
writeFileSync(file, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serial targets', () => {
  it.runIf(process.platform !== 'win32')('refuses a regular file, a folder, a missing path and /dev/null', () => {
    for (const path of [file, dir, join(dir, 'missing'), '/dev/null']) expect(() => assertSerialDevice(path), path).toThrow(/serial|does not exist/);
  });

  it('accepts COM ports on Windows and refuses other names there', () => {
    expect(() => assertSerialDevice('COM3', 'win32')).not.toThrow();
    expect(() => assertSerialDevice('\\\\.\\COM12', 'win32')).not.toThrow();
    expect(() => assertSerialDevice('C:\\Users\\sam\\notes.txt', 'win32')).toThrow(/not a serial port/);
  });

  it.runIf(process.platform !== 'win32')('a serial link is never opened on a file', async () => {
    await expect(new SerialLink({ path: file, baudRate: 2400 }).open()).rejects.toMatchObject({ code: 'NOT_A_SERIAL_DEVICE' });
  });
});
