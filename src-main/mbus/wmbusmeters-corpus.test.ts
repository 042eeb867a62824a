import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatCache } from './common/compact';
import { parseHex, toHex } from './common/hex';
import type { DecodedTelegram } from './common/telegram';
import { decodeTelegram } from './decode';

/**
 * The 427 telegrams of the wmbusmeters test suite (../shared/data/mbus/wmbusmeters, GPL-3.0-or-later, 60
 * manufacturers), decoded in file order through one format cache, as a receiver hearing them would.
 */
const CORPUS = join(import.meta.dirname, '../../../shared/data/mbus/wmbusmeters/telegrams.tsv');

interface Row {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly key: Uint8Array | undefined;
}

function loadRows(): Row[] {
  const lines = readFileSync(CORPUS, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [name = '', hex = '', key = ''] = line.split('\t');
    // Four test telegrams end in half a byte (a typo upstream): the whole bytes are what a stick would deliver.
    const bytes = parseHex(hex.length % 2 ? hex.slice(0, -1) : hex)!;
    return { name, bytes, key: key ? parseHex(key) : undefined };
  });
}

const rows = loadRows();
const formats = new FormatCache();
const decoded = new Map<string, DecodedTelegram>();
const failures: string[] = [];
for (const row of rows) {
  const key = row.key;
  const result = decodeTelegram(row.bytes, key ? () => key : undefined, formats);
  if (result.ok) decoded.set(row.name, result.telegram);
  else failures.push(`${row.name}: ${result.error.reason}`);
}

function telegram(name: string): DecodedTelegram {
  const t = decoded.get(name);
  if (!t) throw new Error(`${name} not decoded`);
  return t;
}

/**
 * ≥30 records checked against EN 13757-3 by hand: the record's bytes (DIF, DIFE, VIF, VIFE, data, as in the
 * telegram; for logs of decrypted telegrams the plaintext as logged) and the value the standard gives them. VIF
 * 0x13 = volume 10^-3 m³, 0x12 = 10^-4 m³, 0x03/0x04/0x05/0x06/0x07 = energy 1/10/100/1000/10000 Wh (0x00-0x02
 * below), 0x0E = energy 10^6 J, 0x65/0x66 = external temperature 0.01/0.1 °C, 0x6E = HCA units, 0x2C = power
 * 10 W; DIF data field 2/3/4/7 = 16/24/32/64-bit integer, A/B/C/E = 4/6/8/12-digit BCD. Rows without bytes are
 * encrypted on the air; their values are the ones ../shared/docs/domain-mbus.md §6 gives for these telegrams.
 */
const CASES: readonly (readonly [name: string, index: number, bytes: string | null, quantity: string, value: number, unit: string])[] = [
  ['amiplus.MyElectricity5', 2, '0E03208830000000', 'energy', 308820, 'Wh'], // APA, mode 5, BCD12 308820 Wh
  ['amiplus.MyElectricity4~2', 2, '0E03189169000000', 'energy', 699118, 'Wh'], // DEV, mode 5
  ['wired.aptmbusna.W', 2, '0413F73E0000', 'volume', 16.119, 'm3'], // wired APA, 0x3EF7 = 16119 l
  ['aquastream.AqWater', 0, '041303420000', 'volume', 16.899, 'm3'], // IMT, CI 72, mode 5
  ['aventieshca.HCA', 0, '0B6E660100', 'hca-units', 166, ''], // AAA, CI 72, mode 5, BCD6 000166
  ['c5isf.Heat~2', 0, '0406D00E0000', 'energy', 3_792_000, 'Wh'], // ZRI, 0x0ED0 = 3792 kWh
  ['cma12w.Tempo', 0, '02651E09', 'external-temperature', 23.34, '°C'], // ELV, 0x091E = 2334 × 0.01 °C
  ['dme173.dwater', 0, '0C1383860000', 'volume', 8.683, 'm3'], // DME, ELL + mode 7 log
  ['ebzwmbe.Elen1', 0, '040330F92A00', 'energy', 2_816_304, 'Wh'], // EBZ, CI 72, mode 7 log
  ['ehzp.Elen3', 0, '0700583B740200000000', 'energy', 41_171.8, 'Wh'], // EMH, int64 41171800 × 10^-3 Wh
  ['elf.Hetta', 1, '0E01779924110300', 'energy', 3_112_499.77, 'Wh'], // APA, BCD12 000311249977 × 10^-2 Wh
  ['elster.Gas', 1, '0C1370342203', 'volume', 3223.47, 'm3'], // ELS, CI 72, mode 5, BCD8 03223470 l
  ['wired.eltako.Eltako', 0, '8C100468890200', 'energy', 289_680, 'Wh'], // wired ELT, DIFE 10 = tariff 1
  ['elvsense.ES2', 0, '02656808', 'external-temperature', 21.52, '°C'], // ELV, mode 5
  ['wired.enercal.Heat', 0, '040681460600', 'energy', 411_265_000, 'Wh'], // wired GWF, 0x064681 kWh
  ['esyswm.Elen2~2/2', 0, '0702F5C3FA0000000000', 'energy', 1_643_416.5, 'Wh'], // ESY, AFL mode 7 log
  ['eurisii.HeatMeter', 0, '0B6E332211', 'hca-units', 112_233, ''], // INE, CI 72 plain
  ['ev200.Voda', 0, '0C1249584900', 'volume', 49.5849, 'm3'], // ELR, VIF 12 = 10^-4 m³
  ['evo868.Votchka', 0, '041306070000', 'volume', 1.798, 'm3'], // MAD, the telegram with FFFF at its end
  ['fiowater.fio', 0, '0C1322921500', 'volume', 159.222, 'm3'], // FIO, ELL + mode 7 log
  ['gransystems.Gran101', 1, '040394030000', 'energy', 916, 'Wh'], // GSS, CI 78 (no TPL header)
  ['gwfwater.Watertwo', 1, '0413DC690D00', 'volume', 879.068, 'm3'], // GWF, ELL + CI 72 mode 5 log
  ['hydrocalm3.HeatCool', 0, '0C0E59600100', 'energy', 16_059_000_000, 'J'], // BMT, 16059 × 10^6 J
  ['hydroclimav2.HC1', 0, '036E540200', 'hca-units', 596, ''], // BMP, int24 0x000254
  ['hydrodigit.Hydro3', 0, '0C1364390400', 'volume', 43.964, 'm3'], // BMT plain
  ['istaheat.FeelTheHeat', 0, '0C0514980400', 'energy', 4_981_400, 'Wh'], // IST, 49814 × 100 Wh
  ['itron.SomeWater', 0, '0413FD110000', 'volume', 4.605, 'm3'], // ITW
  ['kamheat.MyHeater', 0, '03062C0000', 'energy', 44_000, 'Wh'], // KAM, ELL log, CI 78
  ['kamheat.Kamstrup_303', 0, '04056C2B0000', 'energy', 1_111_600, 'Wh'], // KAM, mode 5
  ['wired.kamheat.Kamstrup_403_mbus', 0, '0406CE860000', 'energy', 34_510_000, 'Wh'], // wired KAM
  ['kamwater.VATTEN', 1, '0413AEAC0000', 'volume', 44.206, 'm3'], // KAW, ELL log
  ['lansenth.Tempoo', 0, '02658408', 'external-temperature', 21.8, '°C'], // LAS, mode 5
  ['minomess.Zenner_cold', 0, '0C1355000000', 'volume', 0.055, 'm3'], // ZRI, CI 72, mode 5
  ['munia.TempoHygro', 0, '0A660102', 'external-temperature', 20.1, '°C'], // WEP, BCD4 0201 × 0.1 °C
  ['wired.nemo.Elen', 0, '8E5004003558730600', 'energy', 6_735_835_000, 'Wh'], // wired IME, DIFE 50 = subunit 1, tariff 1
  ['wired.nzr.NZR1', 0, '84002CCB000000', 'power', 2030, 'W'], // wired NZR, 203 × 10 W
  ['wired.piigth.Tempo', 0, '0265C009', 'external-temperature', 24.96, '°C'], // wired PII
  ['qcaloric.MyElement1', 0, '0B6E270100', 'hca-units', 127, ''], // QDS, stray bytes after the records
  ['qheatv2.QHeato', 0, '0C0504390000', 'energy', 390_400, 'Wh'], // QDS, CI 72 plain
  ['wired.relhca.MyRelHCA', 0, '0C6E41648401', 'hca-units', 1_846_441, ''], // wired REL
  ['sontex868.MyHeatCoster', 1, '036E770000', 'hca-units', 119, ''], // SON
  ['wired.ultraheat.MyUltra', 2, '0C0E08230300', 'energy', 32_308_000_000, 'J'], // wired LUG
  ['ultrimisv2.WW', 0, '0413A0010000', 'volume', 0.416, 'm3'], // APA, ELL + mode 7 log
  ['weh_07.Vattenn', 0, '0413B3910000', 'volume', 37.299, 'm3'], // WEH, mode 5
  ['anyid.anyid', 1, '041308190000', 'volume', 6.408, 'm3'], // KIM, ELL log
  ['iperl.WaterWater', 0, null, 'volume', 123.529, 'm3'], // SEN iPerl: domain-mbus.md §6 row 7
  ['lansenpu.COUNTA', 0, null, 'dimensionless', 4711, ''], // LAS pulse counter a: row 8
  ['lansenpu.COUNTA', 1, null, 'dimensionless', 1234, ''], // counter b: row 8
  ['aventieswm.Votten', 0, null, 'volume', 466.472, 'm3'], // CI 72 mode 5 with its key: row 6
  ['kamwater.Vatten', 1, null, 'volume', 6.408, 'm3'], // Kamstrup C1, ELL AES-CTR with its key: row 5
];

describe('the wmbusmeters corpus (427 telegrams)', () => {
  it('decodes every telegram without an error, and every one yields at least its header', () => {
    expect(rows).toHaveLength(427);
    expect(failures).toEqual([]);
    for (const row of rows) {
      const h = telegram(row.name).header;
      if (row.name.startsWith('wired.')) {
        expect(telegram(row.name).kind, row.name).toBe('wired');
        continue;
      }
      expect(h?.manufacturer, row.name).toMatch(/^[@A-Z]{3}$/);
      expect(h?.id, row.name).toMatch(/^[0-9A-F]{8}$/);
    }
  });

  it('decrypts every telegram whose key the corpus says decrypts it (23 mode 5, 1 mode 7, 2 ELL)', () => {
    const keyed = rows.filter((row) => row.key && telegram(row.name).encrypted);
    const supported = keyed.filter((row) => {
      const t = telegram(row.name);
      return t.wireless?.securityMode === 5 || t.wireless?.securityMode === 7 || t.wireless?.ell?.ci === 0x8d;
    });
    expect(supported.map((row) => [row.name, telegram(row.name).decrypted]).filter(([, ok]) => !ok)).toEqual([]);
    expect(supported).toHaveLength(26);
    const checks = supported.map((row) => telegram(row.name).decryptionCheck);
    expect(checks.filter((c) => c === 'plaintext-markers')).toHaveLength(23);
    expect(checks.filter((c) => c === 'mac')).toHaveLength(1);
    expect(checks.filter((c) => c === 'payload-crc')).toHaveLength(2);
  });

  it.each(CASES.map((c) => [`${c[0]} #${c[1]}`, c] as const))('%s agrees with EN 13757-3', (_label, [name, index, bytes, quantity, value, unit]) => {
    const row = rows.find((r) => r.name === name)!;
    const record = telegram(name).records[index]!;
    if (bytes) expect(toHex(row.bytes, record.offset, record.offset + record.length)).toBe(bytes);
    expect(record).toMatchObject({ quantity, unit, storage: 0 });
    expect(record.value as number).toBeCloseTo(value, 6);
  });

  it('documents at least 30 cases across 30 manufacturers, CIs 72/78/79/7A, modes 0/5/7, ELL and wired', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map(([name]) => telegram(name).header?.manufacturer)).size).toBeGreaterThanOrEqual(30);
  });

  it('decodes the real full-then-compact sequences, the compact frame giving the same records', () => {
    const sequences = rows.filter((row) => /\/2$/.test(row.name) && telegram(row.name).ci === 0x79);
    expect(sequences.length).toBeGreaterThanOrEqual(4);
    for (const row of sequences) {
      const full = telegram(row.name.replace(/\/2$/, '/1'));
      const compact = telegram(row.name);
      expect(compact.records.length, row.name).toBeGreaterThan(0);
      expect(compact.records.map((r) => r.quantity)).toEqual(full.records.map((r) => r.quantity));
    }
    // The Kamstrup heat meter's compact frame carries the same 44 kWh as its full frame.
    expect(telegram('kamheat.MyHeater~2/2').records[0]).toMatchObject({ quantity: 'energy', value: 44_000 });
  });

  it('keeps meters whose payload it cannot decode, saying why', () => {
    const manufacturerCi = rows.filter((row) => {
      const ci = telegram(row.name).ci ?? 0;
      return ci >= 0xa0 && ci <= 0xb7;
    });
    expect(manufacturerCi.length).toBe(46); // README: A0 21, A2 16, A1 6, B6 2, A3 1
    for (const row of manufacturerCi) expect(telegram(row.name).undecoded?.reason).toMatch(/^manufacturer-specific payload, CI 0x[AB][0-9A-F]$/);
    expect(telegram('actislink.GURKA').decryptionError).toMatch(/DES/);
    expect(telegram('evo868.Votchka').note).toMatch(/2 bytes after the last record/);
  });

  it('marks the ELL-encrypted telegram encrypted and decrypted, and an invalid type G date as invalid', () => {
    expect(telegram('kamwater.Vatten')).toMatchObject({ encrypted: true, decrypted: true, decryptionCheck: 'payload-crc' });
    const ffff = telegram('qcaloric.MyElement1').records.find((r) => r.quantity === 'date' && r.value === null);
    expect(ffff?.modifiers).toContain('time-invalid');
  });
});
