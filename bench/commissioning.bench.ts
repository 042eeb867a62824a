import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPremisesModel } from '../src-main/premises/premises-model';
import { silentLogger } from '../src-main/util/logger';
import { seDeviceSpecs, type VirtualSeDeviceSpec } from '../src-main/zigbee/emulator/virtual-se-device';
import { ZnpEmulator } from '../src-main/zigbee/emulator/znp-emulator';
import { HanService } from '../src-main/zigbee/han-service';

/**
 * commissioning: from opening the join window until 16 devices (4 ESME, 4 sleepy GSME, 4 IHD, 4 PPMID) are joined,
 * interviewed, the meters read and each IHD paired with its ESME — herdsman against the Z-Stack emulator answering
 * every SREQ after a fixed 20 ms. herdsman serialises SREQs (one outstanding MT request), so every exchange the
 * emulator serves is on the critical path and the protocol minimum is exchanges × latency.
 */
const LATENCY_MS = 20;
const SLEEPY_POLL_MS = 100;

export async function run(): Promise<void> {
  const models = [11, 12, 13, 14].map((seed) => createPremisesModel(seed));
  const specs: VirtualSeDeviceSpec[] = models.flatMap((m) => seDeviceSpecs(m.devices));
  const emulator = await ZnpEmulator.start({
    devices: specs,
    esmeRegister: models[0]!.esmeRegister,
    log: silentLogger,
    latencyMs: LATENCY_MS,
    sleepyPollMs: SLEEPY_POLL_MS,
    joinDelayMs: 5,
  });
  const jobDir = mkdtempSync(join(tmpdir(), 'han-bench-'));
  const service = await HanService.open({ jobDir, adapter: 'zstack', path: `tcp://127.0.0.1:${emulator.port}`, log: silentLogger });
  try {
    const started = Date.now();
    await service.start();
    process.stdout.write(`network formed in ${Date.now() - started} ms (${emulator.exchanges} exchanges, includes herdsman's 3 s NIB-settle wait)\n`);
    for (const spec of specs) {
      const result = await service.addDevice(`Z:${spec.eui64}$I:${spec.installCode}${spec.installCodeCrc}`);
      if (!result.ok) throw new Error(result.error.message);
    }
    const meters = new Set(specs.filter((s) => s.type === 'ESME' || s.type === 'GSME').map((s) => s.eui64));
    const pairs = models.map((m) => ({ esme: m.devices.find((d) => d.type === 'ESME')!.eui64, ihd: m.devices.find((d) => d.type === 'IHD')!.eui64 }));
    const ready = new Set<string>();
    const work: Promise<unknown>[] = [];
    let readsDone = 0;
    let pairsDone = 0;
    const failures: string[] = [];
    const done = new Promise<void>((resolve) => {
      const check = (): void => {
        if (ready.size === specs.length && readsDone === meters.size && pairsDone === pairs.length) resolve();
      };
      service.on('event', (event) => {
        if (event.type !== 'device') return;
        if (event.entry.state === 'failed') failures.push(`${event.eui64}: ${event.entry.reason}`);
        if (event.entry.state !== 'ready' || ready.has(event.eui64)) return;
        ready.add(event.eui64);
        if (meters.has(event.eui64)) {
          work.push(
            service.readMetering(event.eui64).then(() => {
              readsDone += 1;
              check();
            }),
          );
        }
        for (const pair of pairs) {
          if ((pair.esme === event.eui64 || pair.ihd === event.eui64) && ready.has(pair.esme) && ready.has(pair.ihd)) {
            work.push(
              service.pairIhd(pair.esme, pair.ihd, { pollMs: 5 }).then((result) => {
                if (!result.ihdConfirmed || !result.bindingConfirmed) failures.push(`pairing ${pair.esme}→${pair.ihd}: ${result.error ?? 'not confirmed'}`);
                pairsDone += 1;
                check();
              }),
            );
          }
        }
        check();
      });
    });
    emulator.resetCounters();
    const t0 = Date.now();
    await service.openJoinWindow(600);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`not done after 180 s: ${ready.size} ready, ${readsDone} reads, ${pairsDone} pairs`)), 180_000).unref(),
    );
    await Promise.race([done, timeout]);
    await Promise.all(work);
    const total = Date.now() - t0;
    const idle = emulator.idleMs;
    const exchanges = emulator.exchanges;
    const minimum = exchanges * LATENCY_MS;
    const ratio = total / minimum;
    const top = [...emulator.exchangesByCommand.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    process.stdout.write(
      `devices: ${specs.length} joined and interviewed, ${readsDone} meters read, ${pairsDone} IHDs paired${failures.length ? `; failures: ${failures.join('; ')}` : ''}\n`,
    );
    process.stdout.write(`exchanges served: ${exchanges} × ${LATENCY_MS} ms = ${minimum} ms protocol minimum\n`);
    process.stdout.write(`MT pipe idle (no request outstanding: herdsman between requests, join staggering, sleepy polls): ${idle} ms\n`);
    process.stdout.write(`busiest MT commands: ${top.map(([k, n]) => `${k}×${n}`).join(', ')}\n`);
    process.stdout.write(`commissioning: ${total} ms ratio ${ratio.toFixed(2)}\n`);
  } finally {
    await service.stop().catch(() => undefined);
    await emulator.stop();
    rmSync(jobDir, { recursive: true, force: true });
  }
}
