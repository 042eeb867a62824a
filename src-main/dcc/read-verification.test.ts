import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPremisesModel, esmeImportWh } from '../premises/premises-model';
import { startSimulatedGateway } from './emulator/simulated-gateway';
import { compareReadings, dccReadingSource, DccReadError, displayReading, hanReadingSource, verifyReadings, type MeterReading } from './read-verification';

const t0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const reading = (source: MeterReading['source'], valueWh: number, atMs: number, resolutionWh = 1): MeterReading => ({
  source,
  valueWh,
  value: valueWh,
  unit: 'Wh',
  resolutionWh,
  takenAt: new Date(atMs).toISOString(),
});

describe('compareReadings', () => {
  it('passes readings that differ by no more than the supply could have counted in between', () => {
    // 10 min apart at up to 23 kW (+60 s skew): 23000 × 660/3600 = 4216.7 → 4219 Wh with 2 × 1 Wh resolution.
    const record = compareReadings(reading('han', 1_000_000, t0), reading('dcc', 1_004_000, t0 + 600_000));
    expect(record).toMatchObject({ pass: true, differenceWh: 4000, allowedWh: 4219, elapsedMs: 600_000 });
    expect(record.first.source).toBe('han');
    expect(record.second.source).toBe('dcc');
  });

  it('fails a difference too large for the elapsed time, naming both sources and values', () => {
    const record = compareReadings(reading('display', 1_000_000, t0, 100), reading('dcc', 1_010_000, t0 + 60_000));
    expect(record.pass).toBe(false);
    expect(record.allowedWh).toBe(868); // ⌈101 + 23000 × 120/3600⌉
    expect(record.reason).toMatch(/display and dcc differ by 10000 Wh; at most 868 Wh is possible in 60 s/);
  });

  it('orders readings by time and refuses a later reading that went backwards beyond resolution', () => {
    const record = compareReadings(reading('dcc', 999_000, t0 + 3_600_000), reading('han', 1_000_000, t0));
    expect(record.first.source).toBe('han');
    expect(record.pass).toBe(false);
    expect(record.reason).toMatch(/only counts up/);
    // Within the display's resolution a lower later reading is fine (the display truncates).
    expect(compareReadings(reading('display', 1_000_000, t0, 100), reading('dcc', 999_950, t0 + 1000)).pass).toBe(true);
  });

  it('parses typed display values with the resolution of the digits typed', () => {
    expect(displayReading('12345.6', 'kWh', new Date(t0))).toMatchObject({ valueWh: 12_345_600, resolutionWh: 100, unit: 'kWh', value: 12345.6 });
    expect(displayReading('12345', 'kWh', new Date(t0)).resolutionWh).toBe(1000);
    expect(() => displayReading('12,345', 'kWh', new Date(t0))).toThrow(/not a register value/);
  });
});

describe('end-to-end read verification on the training premises', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function premises() {
    const model = createPremisesModel(5);
    const dataDir = mkdtempSync(join(tmpdir(), 'han-verify-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const { simulator, gateway, stop } = await startSimulatedGateway({ model, dataDir, responseDelayMs: 50, responseTimeoutMs: 15_000 });
    cleanups.push(stop);
    const esme = model.devices.find((d) => d.type === 'ESME')!.eui64;
    // The premises' register as the ZigBee emulator serves it (esmeImportWh); the HAN driver plugs in the same way.
    const han = hanReadingSource(async () => ({
      summationWh: esmeImportWh(model.esmeRegister, Date.now()),
      at: new Date(),
      reference: 'ESME Metering cluster',
    }));
    return { model, simulator, gateway, dcc: dccReadingSource(gateway, esme), han };
  }

  it('HAN vs DCC and typed display vs DCC pass; a simulator answering a wrong value fails', async () => {
    const { model, simulator, dcc, han } = await premises();
    const hanVsDcc = await verifyReadings(han, dcc);
    expect(hanVsDcc.pass).toBe(true);
    const bySource = Object.fromEntries([hanVsDcc.first, hanVsDcc.second].map((r) => [r.source, r]));
    expect(bySource).toMatchObject({
      han: { unit: 'Wh', reference: 'ESME Metering cluster' },
      dcc: { unit: 'Wh', reference: expect.stringMatching(/^RequestID /) },
    });
    expect(hanVsDcc.elapsedMs).toBeGreaterThanOrEqual(0);

    // What the LCD shows: kWh truncated to one decimal, typed in by the engineer.
    const shownKWh = (Math.floor(esmeImportWh(model.esmeRegister, Date.now()) / 100) / 10).toFixed(1);
    const typed = { source: 'display' as const, read: async () => displayReading(shownKWh, 'kWh', new Date()) };
    expect((await verifyReadings(typed, dcc)).pass).toBe(true);

    simulator.faults.wrongValueWh = 50_000;
    const wrong = await verifyReadings(typed, dcc);
    expect(wrong.pass).toBe(false);
    expect(Math.abs(wrong.differenceWh)).toBeGreaterThan(49_000);
    expect(wrong.reason).toMatch(/dcc/);
  });

  it('a DCC read that does not complete is an error naming the request, not a pass or fail', async () => {
    const { simulator, dcc } = await premises();
    simulator.faults.errorCode = 'E21';
    await expect(dcc.read()).rejects.toThrow(DccReadError);
    await expect(dcc.read()).rejects.toThrow(/ended rejected: E21/);
  });
});
