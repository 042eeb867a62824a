import type { RecordSpec } from '../../common/encode-records';
import type { VirtualSlaveSpec } from './virtual-slave';

const EPOCH = Date.UTC(2026, 0, 1);
const hours = (now: number): number => Math.max(0, Math.floor((now - EPOCH) / 3_600_000));

function dateTime(now: number): string {
  return new Date(now).toISOString().slice(0, 16);
}

/**
 * The training bus: a heat meter, a water meter with hex digits in its id, two slaves sharing primary address 3
 * (a collision), an electricity meter with hex digits and a multi-telegram meter. Ids differ early, so a
 * secondary search over the real bus timing stays short.
 */
export function defaultSlaves(): VirtualSlaveSpec[] {
  const heat = (now: number): RecordSpec[] => [
    { vif: [0x06], data: { type: 'int', bytes: 4, value: 37_351 + hours(now) } }, // energy kWh
    { vif: [0x14], data: { type: 'int', bytes: 4, value: 56_108 + hours(now) * 3 } }, // volume 0.01 m3
    { vif: [0x5b], data: { type: 'int', bytes: 1, value: 70 } }, // flow temperature °C
    { vif: [0x5f], data: { type: 'int', bytes: 1, value: 42 } }, // return temperature °C
    { vif: [0x6d], data: { type: 'date-time', value: dateTime(now) } },
  ];
  const water = (now: number): RecordSpec[] => [
    { vif: [0x13], data: { type: 'bcd', digits: 8, value: 123_456 + hours(now) * 11 } }, // volume litres
    { vif: [0x6c], storage: 1, data: { type: 'date', value: '2025-12-31' } },
    { vif: [0x13], storage: 1, data: { type: 'bcd', digits: 8, value: 120_000 } },
  ];
  const gas = (now: number): RecordSpec[] => [{ vif: [0x13], data: { type: 'int', bytes: 4, value: 9_000 + hours(now) } }];
  return [
    { primary: 1, id: '12345678', manufacturer: 'KAM', version: 0x08, medium: 0x04, telegrams: [heat] },
    { primary: 2, id: '1A2B3C4D', manufacturer: 'HAN', version: 0x01, medium: 0x07, telegrams: [water] },
    { primary: 3, id: '33100042', manufacturer: 'ELS', version: 0x33, medium: 0x03, telegrams: [gas] },
    { primary: 3, id: '47110815', manufacturer: 'LUG', version: 0x07, medium: 0x04, telegrams: [heat] },
    {
      primary: 4,
      id: '00ABCDE0',
      manufacturer: 'EMH',
      version: 0x02,
      medium: 0x02,
      telegrams: [
        (now) => [
          { vif: [0x04], tariff: 1, data: { type: 'int', bytes: 4, value: 1_000 + hours(now) } },
          { vif: [0x04], tariff: 2, data: { type: 'int', bytes: 4, value: 2_000 } },
          { vif: [0xfd, 0x48], data: { type: 'int', bytes: 2, value: 2301 } }, // 230.1 V
        ],
      ],
    },
    {
      primary: 5,
      id: '87654321',
      manufacturer: 'SBC',
      version: 0x10,
      medium: 0x02,
      telegrams: [
        (now) => [
          { vif: [0x04], data: { type: 'int', bytes: 4, value: 500 + hours(now) } },
          { vif: [0x2b], data: { type: 'int', bytes: 2, value: 1200 } },
        ],
        () => [
          { vif: [0x04], storage: 1, data: { type: 'int', bytes: 4, value: 400 } },
          { vif: [0x6c], storage: 1, data: { type: 'date', value: '2025-12-31' } },
        ],
        () => [
          { vif: [0x04], storage: 2, data: { type: 'int', bytes: 4, value: 300 } },
          { vif: [0x6c], storage: 2, data: { type: 'date', value: '2024-12-31' } },
        ],
      ],
    },
  ];
}
