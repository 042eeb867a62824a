import { setLogger } from 'zigbee-herdsman';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPremisesModel } from '../../premises/premises-model';
import { silentLogger } from '../../util/logger';
import { seDeviceSpecs } from '../emulator/virtual-se-device';
import type { NvSnapshot } from '../emulator/nv-memory';
import { ZnpEmulator } from '../emulator/znp-emulator';
import { herdsmanLogger } from '../han-service';
import { ZstackSurveyLink } from './zstack-survey-link';

const started: { stop(): Promise<void> }[] = [];
beforeAll(() => setLogger(herdsmanLogger(silentLogger)));
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
});

async function emulator(nv?: NvSnapshot): Promise<ZnpEmulator> {
  const model = createPremisesModel(7, Date.UTC(2026, 0, 15, 9));
  const e = await ZnpEmulator.start({ devices: seDeviceSpecs(model.devices), esmeRegister: model.esmeRegister, log: silentLogger, ...(nv ? { nv } : {}) });
  started.push(e);
  return e;
}

describe('Z-Stack survey role against the emulator (real TCP)', () => {
  it('starts a factory-new coordinator as a closed, device-less survey network of its own, and says so', async () => {
    const e = await emulator();
    const permits: number[] = [];
    e.on('event', (event) => event.kind === 'permit-join' && permits.push(event.seconds));
    const link = await ZstackSurveyLink.open(`tcp://127.0.0.1:${e.port}`);
    started.push({ stop: () => link.close() });
    const note = await link.prepareForEnergyScan();
    expect(note).toMatch(/factory-new dongle was started as a closed survey network of its own \(PAN 0x[0-9A-F]{4}, channel 26, no devices, joining closed\)/);
    expect(permits).toEqual([0]);
    // A second scan finds the survey network running and leaves it as it is.
    expect(await link.prepareForEnergyScan()).toMatch(/already running; it was scanned as it is/);
  });

  it('starts a dongle that holds a network (power-cycled) unchanged: nothing in NV is written', async () => {
    const first = await emulator();
    const formLink = await ZstackSurveyLink.open(`tcp://127.0.0.1:${first.port}`);
    await formLink.prepareForEnergyScan();
    await formLink.close();
    const held = first.nv.snapshot();
    // The same dongle after a power cycle: the network is in NV, the stack in HOLD until started.
    const second = await emulator(held);
    const link = await ZstackSurveyLink.open(`tcp://127.0.0.1:${second.port}`);
    started.push({ stop: () => link.close() });
    expect(await link.prepareForEnergyScan()).toMatch(/holds a network; it was started unchanged, with joining closed/);
    expect(second.nv.snapshot()).toEqual(held);
  });
});
