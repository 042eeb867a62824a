import { describe, expect, it } from 'vitest';
import { emulatorFactories } from '../../premises/emulators';
import { startTrainingPremises } from '../../premises/training-premises';
import { silentLogger } from '../../util/logger';
import { dccEmulatorFactory } from './dcc-emulator';
import type { DccSimulator } from './dcc-simulator';

describe('DCC simulator in the training premises', () => {
  it('is registered as "dcc" and starts on a system-chosen loopback port with its CA and test identities', async () => {
    expect(emulatorFactories.filter((f) => f.name === 'dcc')).toEqual([dccEmulatorFactory]);
    const premises = await startTrainingPremises({ log: silentLogger, factories: [dccEmulatorFactory] });
    try {
      const dcc = premises.emulators.get('dcc')!;
      expect(premises.ports.dcc).toBeGreaterThan(0);
      expect(dcc.details).toMatchObject({
        baseUrl: `https://127.0.0.1:${premises.ports.dcc}/api/v1`,
        caCert: expect.stringContaining('BEGIN CERTIFICATE'),
        userId: '90-B3-D5-1F-30-01-00-00',
        testCredentials: true,
      });
      const simulator = dcc.details!.simulator as DccSimulator;
      const chf = premises.model.devices.find((d) => d.type === 'CHF')!;
      expect(simulator.smiStatus(chf.eui64)).toBe('Commissioned');
      expect(simulator.deviceLog()).toEqual([]);
    } finally {
      await premises.stop();
    }
  });
});
