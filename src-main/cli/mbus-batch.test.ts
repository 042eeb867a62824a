import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.test-support';
import { mbusCommand } from './mbus-command';
import { runCli } from './run-cli';

/** A real Kamstrup full-then-compact sequence from the wmbusmeters corpus (kamheat.MyHeater~2/1 and /2). */
const KAM_FULL = '2E442D2C6767676730048D2039D1684020BCDB7803062C000043060000000314630000426C7F2A022D130001FF2100';
const KAM_COMPACT = '25442D2C6767676730048D203AD2684020D81579E7F1D5902C00000000006300007F2A130000';
/** Kamstrup C1 with ELL AES-CTR: a full frame, then a compact one, both under one key (kamwater.Vatten, analyze). */
const ELL_FULL = '2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24';
const ELL_COMPACT = '23442D2C998734761B168D20983081B2227A6FA1F10E1B79B5EB4B17E81F930E937EE06C';
const ELL_KEY = '28F64A24988064A079AA2C807D6102AE';

async function batch(input: string, ...extra: string[]): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const io = { ...captureIo(), stdin: Readable.from([input]) };
  const code = await runCli(['mbus', 'decode', '-', ...extra], [mbusCommand], io);
  return { code, lines: io.stdout.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('hantool mbus decode - (batch from stdin)', () => {
  it('keeps compact-frame formats across lines as a receiver does', async () => {
    const { code, lines } = await batch(`${KAM_FULL}\n${KAM_COMPACT}\n`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ line: 2, id: '67676767', manufacturer: 'KAM', ci: 0x79 });
    const full = lines[0]!.records as { quantity: string }[];
    const compact = lines[1]!.records as { quantity: string; value: unknown }[];
    expect(compact.map((r) => r.quantity)).toEqual(full.map((r) => r.quantity));
    expect(compact.length).toBeGreaterThan(3);
  });

  it('without the full frame first, says it waits for the format instead of failing', async () => {
    const { code, lines } = await batch(`${KAM_COMPACT}\n`);
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({ id: '67676767', records: [] });
    expect(lines[0]!.reason).toMatch(/waiting for a full frame/);
  });

  it('takes a key per line, decrypts ELL full and compact frames, and skips blank lines and comments', async () => {
    const { code, lines } = await batch(`# Kamstrup C1 log\n\n${ELL_FULL} ${ELL_KEY}\r\n${ELL_COMPACT} ${ELL_KEY}\n`);
    expect(code).toBe(0);
    expect(lines.map((l) => l.line)).toEqual([3, 4]);
    for (const line of lines) expect(line).toMatchObject({ encrypted: true, decrypted: true, decryptionCheck: 'payload-crc' });
    expect(lines[0]!.records).toContainEqual(expect.objectContaining({ quantity: 'volume', value: 6.408, unit: 'm3' }));
    expect((lines[1]!.records as unknown[]).length).toBe((lines[0]!.records as unknown[]).length);
  });

  it('applies --key to lines without their own key', async () => {
    const { lines } = await batch(`${ELL_FULL}\n`, '--key', ELL_KEY);
    expect(lines[0]).toMatchObject({ decrypted: true });
  });

  it('reports a bad line in place, keeps going, and exits 1', async () => {
    const { code, lines } = await batch(`ABC\n${KAM_FULL} 1234\n${KAM_FULL}\n`);
    expect(code).toBe(1);
    expect(lines[0]).toEqual({ line: 1, error: 'the telegram must be an even number of hex digits' });
    expect(lines[1]).toEqual({ line: 2, error: 'the key must be 32 hex digits (AES-128)' });
    expect(lines[2]).toMatchObject({ line: 3, id: '67676767' });
  });
});
