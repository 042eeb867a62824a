import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { testConnectionInput } from './connection-input.test-support';
import { loadDccConnection, saveDccConnection } from './dcc-config';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('saved DCC connection', () => {
  it('keeps the sealed GBCS key-agreement key and the SMKI URL through a restart (load after save)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcc-config-'));
    dirs.push(dir);
    const secrets = await FileSecretStore.open(dir);
    const kaPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const saved = await saveDccConnection(dir, secrets, { ...testConnectionInput(), userKeyAgreementKeyPem: kaPem, smkiUrl: 'https://127.0.0.1:8083/' });
    expect(saved.userKeyAgreementKeyToken).toBeDefined();

    const loaded = loadDccConnection(dir);
    expect(loaded?.userKeyAgreementKeyToken).toBe(saved.userKeyAgreementKeyToken);
    expect(loaded?.smkiUrl).toBe('https://127.0.0.1:8083/');
    expect(await secrets.decrypt(loaded!.userKeyAgreementKeyToken!)).toBe(kaPem);
  });
});
