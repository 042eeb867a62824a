import { validateRequest } from '../../../src-shared/ipc/validate';
import { parseInstallCode } from '../../../src-shared/model/install-code';
import { parseMpan } from '../../../src-shared/model/mpan';
import { WORK_ORDER_FORMAT } from '../../../src-shared/model/work-order';
import { ContractViolation, type FuzzFamily } from '../family';

const text = (input: Buffer): string => input.toString('utf8');

/** Install codes as typed or scanned (hex with or without separators, QR label text): a result, never a throw. */
export const installCode: FuzzFamily = {
  name: 'installcode',
  description: 'install codes and device labels as typed or scanned',
  kind: 'text',
  maxLength: 512,
  seeds: () =>
    [
      '83FED3407A939723A5C639B26916D505C3B5',
      '83FE-D340-7A93-9723-A5C6-39B2-6916-D505-C3B5',
      '83 FE D3 40 7A 93 97 23 A5 C6 39 B2 69 16 D5 05 C3 B5',
      'Z:000D6F0000A1B2C3$I:83FED3407A939723A5C639B26916D505C3B5',
      '83FED3407A93-C3B5',
      '1122-3344-5566-7788-2FD7',
    ].map((s) => Buffer.from(s)),
  run(input) {
    const result = parseInstallCode(text(input));
    // Install codes are 6, 8, 12 or 16 bytes (ZigBee SE): anything accepted is one of those, in hex.
    if (result.ok && !/^(?:[0-9A-F]{12}|[0-9A-F]{16}|[0-9A-F]{24}|[0-9A-F]{32})$/.test(result.value.installCode))
      throw new ContractViolation(`accepted install code ${result.value.installCode}`);
    if (result.ok && !/^[0-9A-F]{4}$/.test(result.value.crc)) throw new ContractViolation(`CRC ${result.value.crc} is not two bytes of hex`);
  },
};

/** MPANs (13-digit core or 21-digit full): a result with the check digit judged, never a throw. */
export const mpan: FuzzFamily = {
  name: 'mpan',
  description: 'MPANs as typed: 13-digit cores and 21-digit full MPANs with spaces or dashes',
  kind: 'text',
  maxLength: 256,
  seeds: () => ['1200023305967', '12 0002 3305 967', '01 801 100 1200023305967', '018011001200023305967', '1200023305968'].map((s) => Buffer.from(s)),
  run(input) {
    const result = parseMpan(text(input));
    if (result.ok && !/^\d{13}$/.test(result.value.core)) throw new ContractViolation(`valid MPAN with core ${result.value.core}`);
  },
};

const WORK_ORDER = {
  format: WORK_ORDER_FORMAT,
  version: 1,
  reference: 'WO-2026-0001',
  appointment: { start: '2026-01-15T08:00:00Z', end: '2026-01-15T12:00:00Z' },
  premises: { address: { line1: '12 Meadow Lane', town: 'Reading', postcode: 'RG1 2AB' }, mpan: '1200023305967', accessNotes: 'side gate' },
  devices: [{ type: 'ESME', eui64: '00-0D-6F-00-00-A1-B2-C3', installCode: '83FED3407A939723A5C639B26916D505C3B5' }],
};

/** A pasted work order goes through JSON.parse and the contract's validation: a result, never a throw. */
export const workOrder: FuzzFamily = {
  name: 'work-order',
  description: 'work-order JSON as pasted into Import, validated by the IPC contract',
  kind: 'text',
  maxLength: 8192,
  seeds: () => [Buffer.from(JSON.stringify(WORK_ORDER)), Buffer.from(JSON.stringify(WORK_ORDER, null, 2))],
  run(input) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text(input));
    } catch {
      return; // the renderer says "not valid JSON" before sending
    }
    const result = validateRequest('jobs:importWorkOrder', parsed);
    if (!result.ok && typeof result.error.message !== 'string') throw new ContractViolation('a refusal without a message');
  },
};
