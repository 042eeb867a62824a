import type { MeteringReading } from '../../src-shared/model/han';
import { esmeImportWh, type PremisesModel } from '../premises/premises-model';

/** A HAN read of an ESME's import register, in Wh, for end-to-end verification. */
export type HanRegisterReader = (esmeEui64: string) => Promise<{ readonly summationWh: number; readonly at: Date; readonly reference: string }>;

/** Metering-cluster summation to Wh; only energy units make sense for an electricity import register. */
export function meteringToWh(reading: Pick<MeteringReading, 'value' | 'unit'>): number {
  if (reading.unit === 'kWh') return Math.round(reading.value * 1000);
  throw new Error(`the meter reports its summation in "${reading.unit}", not kWh: not an electricity import register`);
}

/**
 * The app's HAN reader: the running HAN network's Metering read when there is one; on the training premises
 * without a running network, the virtual ESME's register (what its emulated HAN serves), labelled as such.
 */
export function createHanRegisterReader(
  running: () => { readMetering(eui64: string): Promise<MeteringReading> } | undefined,
  training?: PremisesModel,
): HanRegisterReader {
  return async (esme) => {
    const service = running();
    if (service) {
      const reading = await service.readMetering(esme);
      return { summationWh: meteringToWh(reading), at: new Date(reading.atMs), reference: `HAN Metering cluster: ${reading.text} ${reading.unit}` };
    }
    if (training) {
      return {
        summationWh: esmeImportWh(training.esmeRegister, Date.now()),
        at: new Date(),
        reference: 'training premises ESME register (HAN network not started)',
      };
    }
    throw new Error('Start the HAN network for this job first (HAN screen), or compare the display with the DCC.');
  };
}
