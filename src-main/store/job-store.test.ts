import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobStore, verifyJob } from './job-store';
import { JobValidationError, StoreError } from './store-errors';

const INSTALL_CODE = '83FED3407A939723A5C639B26916D505C3B5';
const premises = {
  address: { line1: '1 Meadow Lane', town: 'Reading', postcode: 'RG1 1AA' },
  mpan: '1234567890126',
  mprn: '1234567',
  engineer: 'Sam Engineer',
};

let dataDir: string;
const opened: JobStore[] = [];

async function openStore(options: Partial<Parameters<typeof JobStore.open>[1]> = {}): Promise<JobStore> {
  const store = await JobStore.open(dataDir, { engineer: 'Sam Engineer', owner: 'test', ...options });
  opened.push(store);
  return store;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'han-store-'));
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function jobFile(jobId: string): string {
  return join(dataDir, 'jobs', `${jobId}.jsonl`);
}

describe('JobStore', () => {
  it('creates, appends and reloads a job', async () => {
    const store = await openStore();
    const job = await store.createJob({ premises, devices: [{ type: 'ESME', eui64: '00124B0001ABCDEF' }] });
    expect(job.id).toMatch(/^J\d{8}-[0-9a-f]{8}$/);
    await store.appendEvent(job.id, 'device.added', { type: 'IHD', eui64: '00-12-4B-00-01-AB-CD-01', installCode: INSTALL_CODE });
    const { job: after } = await store.appendEvent(job.id, 'note.added', { text: 'IHD placed in the kitchen' });
    expect(after.devices.map((d) => d.id)).toEqual(['D1', 'D2']);
    await store.close();

    const again = await openStore();
    const reloaded = again.getJob(job.id);
    expect(reloaded).toEqual(after);
    expect(again.listJobs()).toEqual([expect.objectContaining({ id: job.id, mpan: '1234567890126', deviceCount: 2, eventCount: 3 })]);
    for (const event of reloaded.timeline) {
      expect(event).toMatchObject({ schemaVersion: 1, engineer: 'Sam Engineer' });
      expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(await again.verify(job.id)).toMatchObject({ ok: true, events: 3, headHash: reloaded.headHash });
  });

  it('seals install codes and reveals them only on request', async () => {
    const store = await openStore();
    const job = await store.createJob({ premises, devices: [{ type: 'IHD', installCode: INSTALL_CODE }] });
    const sealed = store.getJob(job.id).devices[0]!.installCode;
    expect(sealed).toEqual({ enc: expect.stringMatching(/^f1\./) });
    expect(JSON.stringify(store.getJob(job.id))).not.toContain(INSTALL_CODE);
    const revealed = await store.getRevealedJob(job.id);
    expect(revealed.devices[0]!.installCode).toBe(INSTALL_CODE);
    expect(store.describeSecrets()).toMatchObject({ protection: 'file-key', warning: expect.stringMatching(/key stored beside the data/) });
  });

  it('turns validation failures into readable messages', async () => {
    const store = await openStore();
    const attempt = store.createJob({ premises: { ...premises, mpan: '1234567890121' } });
    await expect(attempt).rejects.toBeInstanceOf(JobValidationError);
    await expect(attempt).rejects.toThrow('premises.mpan: 1234567890121 is not a valid MPAN');
    const job = await store.createJob({ premises });
    await expect(store.appendEvent(job.id, 'device.added', { type: 'IHD', installCode: '83FED3407A939723A5C639B26916D505C3B6' })).rejects.toThrow(
      /device\.added\.installCode: The install code was misread/,
    );
    await expect(store.appendEvent(job.id, 'device.updated', { id: 'D7', status: 'joined' })).rejects.toThrow('has no device D7');
    await expect(store.appendEvent(job.id, 'made.up', {})).rejects.toThrow('unknown event kind "made.up"');
    await expect(store.appendEvent('nope', 'note.added', { text: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Nothing invalid was written.
    expect(store.getJob(job.id).seq).toBe(1);
    expect((await readFile(jobFile(job.id), 'utf8')).split('\n')).toHaveLength(2);
  });

  it('imports a work order and refuses a malformed one', async () => {
    const store = await openStore();
    const job = await store.importWorkOrder(
      JSON.stringify({
        format: 'han-commissioner.work-order',
        version: 1,
        reference: 'WO-42',
        appointment: { start: '2026-11-30T08:00:00Z' },
        premises: { address: premises.address, mpan: '018011001234567890126' },
        devices: [{ type: 'ESME' }, { type: 'IHD', installCode: INSTALL_CODE }],
      }),
    );
    expect(job).toMatchObject({ workOrderReference: 'WO-42', premises: { mpan: '018011001234567890126' } });
    expect(job.devices.map((d) => [d.id, d.type, d.status])).toEqual([
      ['D1', 'ESME', 'expected'],
      ['D2', 'IHD', 'expected'],
    ]);
    await expect(store.importWorkOrder('{not json')).rejects.toThrow(/not valid JSON/);
    await expect(store.importWorkOrder({ format: 'han-commissioner.work-order', version: 1 })).rejects.toThrow(/work order\.reference/);
  });

  it('ignores a torn trailing line on load and cuts it off on the next writer open', async () => {
    const store = await openStore();
    const job = await store.createJob({ premises });
    await store.appendEvent(job.id, 'note.added', { text: 'first' });
    await store.close();
    const committed = await readFile(jobFile(job.id));
    const torn = '{"schemaVersion":1,"jobId":"' + job.id + '","seq":3,"ti';
    await appendFile(jobFile(job.id), torn);

    const reader = await openStore({ readOnly: true });
    expect(reader.getJob(job.id).seq).toBe(2);
    expect(await reader.verify(job.id)).toMatchObject({ ok: true, events: 2, tornBytes: expect.any(Number) });
    expect((await stat(jobFile(job.id))).size).toBeGreaterThan(committed.length); // read-only: no repair

    const writer = await openStore();
    expect((await readFile(jobFile(job.id))).equals(committed)).toBe(true);
    expect(writer.repairs).toEqual([{ jobId: job.id, bytes: torn.length, savedAs: expect.stringContaining('.torn-') }]);
    expect(await readFile(writer.repairs[0]!.savedAs, 'utf8')).toBe(torn);
    const { event } = await writer.appendEvent(job.id, 'note.added', { text: 'after the crash' });
    expect(event.seq).toBe(3);
    expect(await writer.verify(job.id)).toMatchObject({ ok: true, events: 3, tornBytes: 0 });
  });

  it('treats a final line of garbage that ends in a newline as torn', async () => {
    const store = await openStore();
    const job = await store.createJob({ premises });
    await store.close();
    await appendFile(jobFile(job.id), '\0\0\0\0\n');
    const again = await openStore();
    expect(again.getJob(job.id).seq).toBe(1);
    expect(await again.verify(job.id)).toMatchObject({ ok: true, tornBytes: 0 });
  });

  it('drops a job file that never got its first line committed', async () => {
    const store = await openStore();
    await store.close();
    await writeFile(jobFile('J20261127-deadbeef'), '{"schemaV');
    const again = await openStore();
    expect(again.listJobs()).toEqual([]);
    expect((await readdir(join(dataDir, 'jobs'))).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
  });

  it('detects an edited event: verify names the first broken seq and the job becomes read-only', async () => {
    const store = await openStore();
    const job = await store.createJob({ premises });
    for (let i = 1; i <= 4; i++) await store.appendEvent(job.id, 'note.added', { text: `note ${i}` });
    await store.close();

    const lines = (await readFile(jobFile(job.id), 'utf8')).split('\n');
    // An auditor-visible edit: change the text of event 3 and leave its hash alone.
    lines[2] = lines[2]!.replace('note 2', 'note X');
    await writeFile(jobFile(job.id), lines.join('\n'));

    expect(await verifyJob(dataDir, job.id)).toMatchObject({ ok: false, brokenSeq: 3, events: 2 });
    const again = await openStore();
    expect(await again.verify(job.id)).toMatchObject({ ok: false, brokenSeq: 3, events: 2, reason: expect.stringMatching(/altered/) });
    // The job still loads up to the break, so the engineer can see what was there.
    expect(again.getJob(job.id).seq).toBe(2);
    await expect(again.appendEvent(job.id, 'note.added', { text: 'more' })).rejects.toMatchObject({ code: 'INTEGRITY' });
  });

  it('reports a job whose first event was altered instead of letting it vanish', async () => {
    const store = await openStore();
    const job = await store.createJob({ premises });
    await store.close();
    const lines = (await readFile(jobFile(job.id), 'utf8')).split('\n');
    lines[0] = lines[0]!.replace('1 Meadow Lane', '9 Meadow Lane');
    await writeFile(jobFile(job.id), lines.join('\n'));
    const again = await openStore();
    expect(again.listJobs()).toEqual([]);
    expect(again.damagedJobs).toEqual([{ jobId: job.id, seq: 1, reason: expect.stringMatching(/altered/) }]);
  });

  it('refuses an engineer name longer than an event may record', async () => {
    await expect(openStore({ engineer: 'x'.repeat(101) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('detects an edit whose hash was recomputed: the next event no longer chains', async () => {
    const { createHash } = await import('node:crypto');
    const { eventHashInput } = await import('../../src-shared/model/job-event');
    const { canonicalJson } = await import('../../src-shared/model/canonical-json');
    const store = await openStore();
    const job = await store.createJob({ premises });
    for (let i = 1; i <= 3; i++) await store.appendEvent(job.id, 'note.added', { text: `note ${i}` });
    await store.close();
    const lines = (await readFile(jobFile(job.id), 'utf8')).split('\n');
    const forged = JSON.parse(lines[1]!);
    forged.payload.text = 'forged';
    forged.hash = createHash('sha256').update(eventHashInput(forged)).digest('hex');
    lines[1] = canonicalJson(forged);
    await writeFile(jobFile(job.id), lines.join('\n'));
    const again = await openStore({ readOnly: true });
    expect(await again.verify(job.id)).toMatchObject({ ok: false, brokenSeq: 3, reason: expect.stringMatching(/does not chain/) });
  });

  it('leaves no install code in plain text anywhere in the data directory', async () => {
    const store = await openStore();
    const codes = [INSTALL_CODE, '0123456789ABCDEF0123456789ABCDEF', 'AABBCCDDEEFF0011'];
    const job = await store.createJob({ premises, devices: [{ type: 'IHD', installCode: codes[0]! }] });
    await store.appendEvent(job.id, 'device.added', { type: 'PPMID', installCode: codes[1]! });
    await store.appendEvent(job.id, 'device.updated', { id: 'D1', installCode: codes[2]! });
    await store.importWorkOrder({
      format: 'han-commissioner.work-order',
      version: 1,
      reference: 'WO-9',
      appointment: { start: '2026-11-30T08:00:00Z' },
      premises: { address: premises.address, mprn: '1234567' },
      devices: [{ type: 'GSME', installCode: codes[0]! }],
    });
    await store.close();
    const revealed = await (await openStore({ readOnly: true })).getRevealedJob(job.id);
    expect(revealed.devices.map((d) => d.installCode)).toEqual([expect.stringMatching(/^AABBCCDDEEFF0011/), expect.stringMatching(/^0123456789ABCDEF/)]);

    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else files.push(join(dir, entry.name));
      }
    };
    await walk(dataDir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const bytes = await readFile(file);
      const asText = bytes.toString('latin1').toUpperCase();
      for (const code of codes) {
        // The code as hex text (any case) and as raw bytes.
        expect(asText.includes(code.slice(0, 12)), `${file} holds ${code}`).toBe(false);
        expect(bytes.includes(Buffer.from(code.slice(0, 12), 'hex')), `${file} holds the bytes of ${code}`).toBe(false);
      }
    }
  });

  it('refuses a second writer with a message naming the holder, and allows readers', async () => {
    await openStore({ owner: 'web host' });
    const second = JobStore.open(dataDir, { engineer: 'Other', owner: 'hantool' });
    await expect(second).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(second).rejects.toThrow(new RegExp(`in use by web host \\(pid ${process.pid} on `));
    const reader = await openStore({ readOnly: true });
    await expect(reader.createJob({ premises })).rejects.toMatchObject({ code: 'READ_ONLY' });
  });

  it('takes over a stale lock left by a dead process on this host', async () => {
    const { hostname } = await import('node:os');
    // A pid far above any pid_max default: certainly not running.
    const stale = { pid: 2 ** 22 + 12345, hostname: hostname(), startedAt: new Date().toISOString(), owner: 'crashed app', nonce: 'x' };
    await writeFile(join(dataDir, 'store.lock'), JSON.stringify(stale));
    const store = await openStore();
    expect(store.listJobs()).toEqual([]);
  });

  it('never breaks a lock held from another host', async () => {
    const other = { pid: 1, hostname: 'some-other-host', startedAt: new Date().toISOString(), owner: 'app', nonce: 'y' };
    await writeFile(join(dataDir, 'store.lock'), JSON.stringify(other));
    await expect(openStore()).rejects.toThrow(/in use by app \(pid 1 on some-other-host/);
  });

  it('releases the lock on close and refuses use after close', async () => {
    const store = await openStore();
    await store.close();
    expect(() => store.listJobs()).toThrow(StoreError);
    const next = await openStore();
    expect(next.listJobs()).toEqual([]);
  });
});

describe('docs/work-order.md', () => {
  it('has an example that imports', async () => {
    const doc = await readFile(fileURLToPath(new URL('../../docs/work-order.md', import.meta.url)), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const store = await openStore();
    const job = await store.importWorkOrder(example);
    expect(job.devices.map((d) => d.type)).toEqual(['CHF', 'ESME', 'GSME', 'IHD']);
    expect(job.premises.mpan).toBe('018011001234567890126');
  });
});
