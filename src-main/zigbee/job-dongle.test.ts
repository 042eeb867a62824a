import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJobDongle, writeJobDongle } from './job-dongle';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("a job's remembered dongle", () => {
  it('is read back as written, for the job folder it belongs to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-dongle-'));
    dirs.push(dir);
    const jobDir = join(dir, 'han', 'J1');
    expect(readJobDongle(jobDir)).toBeUndefined();
    writeJobDongle(jobDir, { adapter: 'zstack', path: 'tcp://192.168.1.20:6638' });
    expect(readJobDongle(jobDir)).toEqual({ adapter: 'zstack', path: 'tcp://192.168.1.20:6638' });
  });

  it('is forgotten, not fatal, when the file is damaged or names an unknown adapter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-dongle-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'dongle.json'), '{"adapter":"zstack","pa');
    expect(readJobDongle(dir)).toBeUndefined();
    writeFileSync(join(dir, 'dongle.json'), '{"adapter":"telegesis","path":"/dev/ttyUSB0"}');
    expect(readJobDongle(dir)).toBeUndefined();
  });
});
