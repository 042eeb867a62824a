import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHex } from '../common/hex';

/** Loads the libmbus test frames (BSD-3-Clause, ../shared/data/mbus/libmbus) for tests and the benchmark. */
export const LIBMBUS_DIR = join(import.meta.dirname, '../../../../shared/data/mbus/libmbus');

export interface ExpectedRecord {
  readonly function: string;
  readonly storage?: number;
  readonly tariff?: number;
  readonly device?: number;
  readonly quantity: string;
  readonly value: string;
}

export interface LibmbusFrame {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected?: { readonly slave: Record<string, string>; readonly records: readonly ExpectedRecord[] };
}

/** The .hex files hold space-separated pairs, sometimes with CRLF or a malformed first token. */
export function readHexFile(path: string): Uint8Array | undefined {
  return parseHex(readFileSync(path, 'utf8').trim());
}

export function loadLibmbusFrames(folder: 'test-frames' | 'error-frames' | 'unsupported-frames'): LibmbusFrame[] {
  const dir = join(LIBMBUS_DIR, folder);
  const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'DataRecord' });
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -4);
      const bytes = readHexFile(join(dir, file)) ?? new Uint8Array(0);
      let expected: LibmbusFrame['expected'];
      try {
        const doc = parser.parse(readFileSync(join(dir, `${name}.norm.xml`), 'utf8')) as {
          MBusData: { SlaveInformation: Record<string, string>; DataRecord?: Record<string, string>[] };
        };
        const records = (doc.MBusData.DataRecord ?? []).map((r) => ({
          function: String(r.Function ?? ''),
          ...(r.StorageNumber !== undefined ? { storage: Number(r.StorageNumber) } : {}),
          ...(r.Tariff !== undefined ? { tariff: Number(r.Tariff) } : {}),
          ...(r.Device !== undefined ? { device: Number(r.Device) } : {}),
          quantity: String(r.Quantity ?? ''),
          value: String(r.Value ?? ''),
        }));
        expected = { slave: doc.MBusData.SlaveInformation, records };
      } catch {
        expected = undefined;
      }
      return { name, bytes, ...(expected ? { expected } : {}) };
    });
}
