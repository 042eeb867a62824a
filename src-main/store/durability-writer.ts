import { JobStore } from './job-store';

/**
 * Child process of the kill -9 durability test (job-store.durability.test.ts): opens the store in the given
 * data directory and appends events as fast as it can until it is killed. After each commit (the append
 * promise resolved, so fsync returned) it prints `C <jobId> <seq> <hash>`; the parent trusts only those lines.
 * Usage: node --import tsx src-main/store/durability-writer.ts <dataDir> <seed>
 */

const [dataDir, seedText] = process.argv.slice(2);
if (!dataDir) {
  process.stderr.write('usage: durability-writer <dataDir> <seed>\n');
  process.exit(2);
}

// mulberry32: a seeded generator so a failing run can be replayed with its seed.
let state = Number(seedText ?? 1) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const hex = (bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(random() * 256)
      .toString(16)
      .padStart(2, '0'),
  )
    .join('')
    .toUpperCase();

const store = await JobStore.open(dataDir, { engineer: 'Durability Writer', owner: 'durability-writer' });
const jobs = store.listJobs().map((j) => j.id);
process.stdout.write(`ready ${jobs.length}\n`);

const premises = { address: { line1: '1 Test Street', town: 'Testville', postcode: 'TE1 1ST' }, mpan: '1234567890126' };
for (;;) {
  if (jobs.length === 0 || (jobs.length < 12 && random() < 0.05)) {
    const job = await store.createJob({ premises, devices: [{ type: 'ESME', eui64: hex(8), installCode: hex(16) }] });
    jobs.push(job.id);
    process.stdout.write(`C ${job.id} 1 ${job.headHash}\n`);
    continue;
  }
  const jobId = jobs[Math.floor(random() * jobs.length)]!;
  const devices = store.getJob(jobId).devices;
  const roll = random();
  const { event } =
    roll < 0.6 || devices.length === 0
      ? await store.appendEvent(jobId, 'note.added', { text: `note ${hex(4)} `.repeat(1 + Math.floor(random() * 20)) })
      : roll < 0.8 && devices.length < 16
        ? await store.appendEvent(jobId, 'device.added', { type: 'IHD', eui64: hex(8), installCode: hex(16) })
        : await store.appendEvent(jobId, 'device.updated', {
            id: devices[Math.floor(random() * devices.length)]!.id,
            status: (['installed', 'joined', 'commissioned', 'failed'] as const)[Math.floor(random() * 4)]!,
          });
  process.stdout.write(`C ${jobId} ${event.seq} ${event.hash}\n`);
}
