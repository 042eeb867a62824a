import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../util/logger';
import { HanService } from './han-service';

/** A stand-in secret store: reversible, and visibly not plain text. */
const secrets = {
  encrypt: async (plaintext: string) => `sealed:${Buffer.from(plaintext).reverse().toString('base64')}`,
  decrypt: async (token: string) => Buffer.from(token.slice('sealed:'.length), 'base64').reverse().toString(),
};

describe('HAN state at rest', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seals the network key, install codes and link keys, and opens them again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'han-state-'));
    const options = { jobDir: dir, adapter: 'zstack' as const, path: 'tcp://127.0.0.1:1', log: silentLogger, secrets };
    const first = await HanService.open(options);
    const added = await first.addDevice('Z:00124B0001ABCDEF$I:83FED3407A939723A5C639B26916D505C3B5');
    expect(added.ok).toBe(true);
    await first.stop();
    const text = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n')
      .toUpperCase();
    for (const secret of [first.network.networkKey, '83FED3407A939723A5C639B26916D505', '66B6900981E1EE3CA4206B6B861C02BB']) expect(text).not.toContain(secret);
    expect(text).toContain('00124B0001ABCDEF'); // the EUI-64 and the timeline stay readable

    const again = await HanService.open(options);
    expect(again.network).toEqual(first.network);
    expect(again.deviceLog()).toEqual(first.deviceLog());
    await expect(HanService.open({ ...options, secrets: undefined })).rejects.toMatchObject({ code: 'HAN_STATE_SEALED' });
  });
});
