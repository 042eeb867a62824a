import { describe, expect, it } from 'vitest';
import { createPremisesModel } from '../premises/premises-model';
import { startDccSimulator } from './emulator/dcc-simulator';
import { createTestTls } from './emulator/test-ca';
import { createHttpsTransport, DccTransportError } from './transport';

async function failure(run: () => Promise<unknown>): Promise<DccTransportError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DccTransportError) return error;
    throw error;
  }
  throw new Error('expected a transport error');
}

describe('HTTPS transport failure kinds', () => {
  it('classifies refused connections and untrusted certificates as unreachable, non-DUIS replies as http-error', async () => {
    const simulator = await startDccSimulator({ model: createPremisesModel(9) });
    try {
      const wrongPath = await failure(() =>
        createHttpsTransport({ baseUrl: `https://127.0.0.1:${simulator.port}/nothing`, ca: simulator.tls.caCert }).post('serviceS', '<x/>'),
      );
      expect(wrongPath).toMatchObject({ kind: 'http-error', status: 404 });

      const otherCa = createTestTls('other').caCert;
      const untrusted = await failure(() => createHttpsTransport({ baseUrl: simulator.baseUrl, ca: otherCa }).post('serviceS', '<x/>'));
      expect(untrusted.kind).toBe('unreachable');
      expect(untrusted.message).toMatch(/unreachable/);

      await simulator.setDown(true);
      const refused = await failure(() => createHttpsTransport({ baseUrl: simulator.baseUrl, ca: simulator.tls.caCert }).post('serviceS', '<x/>'));
      expect(refused.kind).toBe('unreachable');
      expect(refused.message).toMatch(/ECONNREFUSED/);
    } finally {
      await simulator.stop();
    }
  });
});
