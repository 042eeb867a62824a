import type { DccGateway, DccRequestRecord } from './dcc-gateway';

/**
 * End-to-end read verification: two readings of the same import register from different paths must agree,
 * allowing for what the meter could have counted between them. Sources are pluggable: a HAN read (Metering
 * cluster on our own network), the value the engineer types from the meter's display, and a DCC read (4.1.1).
 * On a live Comms Hub only display vs DCC is possible; the training premises offers all three.
 */
export type ReadingSource = 'han' | 'display' | 'dcc';

export interface MeterReading {
  readonly source: ReadingSource;
  /** The register in Wh (normalised); `value` + `unit` keep what was actually seen. */
  readonly valueWh: number;
  readonly value: number;
  readonly unit: 'Wh' | 'kWh';
  /** Smallest step the source can show, in Wh (display "12345.6 kWh" → 100 Wh; DCC and HAN → 1 Wh). */
  readonly resolutionWh: number;
  /** When the value was true (device timestamp where there is one), ISO 8601. */
  readonly takenAt: string;
  /** Where it came from, for the record: RequestID, HAN address, "typed by engineer". */
  readonly reference?: string;
}

export interface ReadingProvider {
  readonly source: ReadingSource;
  read(): Promise<MeterReading>;
}

export interface Tolerance {
  /** Highest import the supply can draw, W: bounds how far the register can move between readings. Default 23 kW (100 A at 230 V). */
  readonly maxDemandW?: number;
  /** Allowed disagreement between the clocks behind the two timestamps, ms. Default 60 s. */
  readonly clockSkewMs?: number;
}

export interface VerificationRecord {
  readonly pass: boolean;
  readonly first: MeterReading;
  readonly second: MeterReading;
  /** second − first, Wh. */
  readonly differenceWh: number;
  /** The largest difference accepted for the time between the readings. */
  readonly allowedWh: number;
  readonly elapsedMs: number;
  readonly reason: string;
  readonly checkedAt: string;
}

/**
 * Compares two readings. A meter's register only counts up and displays truncate, so the later reading may
 * exceed the earlier by what `maxDemandW` could add in the elapsed time (+ clock skew), and may fall short by
 * no more than the two resolutions.
 */
export function compareReadings(a: MeterReading, b: MeterReading, tolerance: Tolerance = {}, now = new Date()): VerificationRecord {
  const maxDemandW = tolerance.maxDemandW ?? 23_000;
  const skewMs = tolerance.clockSkewMs ?? 60_000;
  const [first, second] = Date.parse(a.takenAt) <= Date.parse(b.takenAt) ? [a, b] : [b, a];
  const elapsedMs = Date.parse(second.takenAt) - Date.parse(first.takenAt);
  const difference = second.valueWh - first.valueWh;
  const resolution = first.resolutionWh + second.resolutionWh;
  const allowedWh = Math.ceil(resolution + (maxDemandW * (elapsedMs + skewMs)) / 3_600_000);
  const base = { first, second, differenceWh: difference, allowedWh, elapsedMs, checkedAt: now.toISOString() };
  if (!Number.isFinite(elapsedMs)) return { ...base, pass: false, reason: 'a reading has no valid timestamp' };
  if (difference < -resolution - (maxDemandW * skewMs) / 3_600_000) {
    return {
      ...base,
      pass: false,
      reason: `the later ${second.source} reading is ${-difference} Wh below the earlier ${first.source} reading (the register only counts up)`,
    };
  }
  if (Math.abs(difference) > allowedWh) {
    return {
      ...base,
      pass: false,
      reason: `${first.source} and ${second.source} differ by ${difference} Wh; at most ${allowedWh} Wh is possible in ${Math.round(elapsedMs / 1000)} s`,
    };
  }
  return { ...base, pass: true, reason: `${first.source} and ${second.source} agree within ${allowedWh} Wh over ${Math.round(elapsedMs / 1000)} s` };
}

/** The value the engineer reads off the display, e.g. "12345.6" kWh: resolution follows the digits typed. */
export function displayReading(typed: string, unit: 'Wh' | 'kWh', takenAt: Date): MeterReading {
  const trimmed = typed.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new Error(`"${typed}" is not a register value (digits, optional decimal point)`);
  const decimals = trimmed.split('.')[1]?.length ?? 0;
  const scale = unit === 'kWh' ? 1000 : 1;
  const value = Number(trimmed);
  return {
    source: 'display',
    value,
    unit,
    valueWh: Math.round(value * scale),
    resolutionWh: Math.max(1, scale / 10 ** decimals),
    takenAt: takenAt.toISOString(),
    reference: 'typed by the engineer from the meter display',
  };
}

export function displayReadingSource(typed: string, unit: 'Wh' | 'kWh', takenAt: Date): ReadingProvider {
  return { source: 'display', read: async () => displayReading(typed, unit, takenAt) };
}

/** A HAN read through whatever reads the Metering cluster (CurrentSummationDelivered scaled to Wh). */
export function hanReadingSource(read: () => Promise<{ readonly summationWh: number; readonly at: Date; readonly reference?: string }>): ReadingProvider {
  return {
    source: 'han',
    async read() {
      const r = await read();
      return {
        source: 'han',
        value: r.summationWh,
        unit: 'Wh',
        valueWh: r.summationWh,
        resolutionWh: 1,
        takenAt: r.at.toISOString(),
        ...(r.reference ? { reference: r.reference } : {}),
      };
    },
  };
}

export class DccReadError extends Error {
  constructor(
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'DccReadError';
  }
}

/** A DCC read: 4.1.1 to the ESME through the gateway, waiting for the correlated asynchronous response. */
export function dccReadingSource(gateway: DccGateway, esmeId: string, timeoutMs?: number): ReadingProvider {
  return {
    source: 'dcc',
    async read() {
      const submitted = await gateway.submit('4.1.1', { deviceId: esmeId });
      // A read that cannot be sent now is no use for a check made on site: say so at once, keep it queued.
      if (submitted.state === 'queued') {
        throw new DccReadError(
          `The DCC is unreachable; the read is queued and will be sent when it answers (RequestID ${submitted.requestId}). ${submitted.lastError ?? ''}`.trim(),
          submitted.requestId,
        );
      }
      const record = await gateway.waitForFinal(submitted.requestId, timeoutMs);
      const reading = dccRecordReading(record);
      if (!reading) {
        const why = record.state === 'completed' ? 'carried no import register' : `ended ${record.state}${record.lastError ? `: ${record.lastError}` : ''}`;
        throw new DccReadError(`DCC read ${record.requestId} ${why}`, record.requestId);
      }
      return reading;
    },
  };
}

/**
 * The import register of a completed 4.1.1: from the decrypted GBCS register (a DCC Boxed, the live DCC) — only
 * when the device payload verified — or from MMC XML (the simulator, Parse & Correlate).
 */
export function dccImportWh(record: DccRequestRecord): number | undefined {
  const gbcs = record.gbcs;
  if (gbcs) {
    if (!gbcs.ok || !gbcs.trusted || !gbcs.reading) return undefined;
    if (gbcs.reading.unit === 'Wh') return gbcs.reading.value;
    if (gbcs.reading.unit === 'kWh') return gbcs.reading.value * 1000;
    return undefined;
  }
  return record.mmc?.data.kind === 'import-register' ? record.mmc.data.valueWh : undefined;
}

/** The register reading a completed 4.1.1 carries (device timestamp where there is one), or undefined. */
export function dccRecordReading(record: DccRequestRecord): MeterReading | undefined {
  if (record.state !== 'completed') return undefined;
  const valueWh = dccImportWh(record);
  if (valueWh === undefined) return undefined;
  return {
    source: 'dcc',
    value: valueWh,
    unit: 'Wh',
    valueWh,
    resolutionWh: 1,
    takenAt: record.mmc?.timestamp ?? record.completedAt ?? new Date().toISOString(),
    reference: `RequestID ${record.requestId}${record.gbcs?.ok ? ` (GBCS ${record.gbcs.useCase ?? record.gbcs.messageCode}, MAC ${record.gbcs.mac}, ${record.gbcs.decryption})` : ''}`,
  };
}

/** Reads both sources and compares them: the record the job keeps. */
export async function verifyReadings(a: ReadingProvider, b: ReadingProvider, tolerance?: Tolerance): Promise<VerificationRecord> {
  const first = await a.read();
  const second = await b.read();
  return compareReadings(first, second, tolerance);
}
