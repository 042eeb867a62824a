import type { DongleDriver, DongleInfo, DongleKind } from '../../src-shared/model/dongle';
import type { EmulatorName } from './emulator';
import type { RunningPremises } from './training-premises';

const DONGLE_OF: Partial<Record<EmulatorName, { kind: DongleKind; driver: DongleDriver }>> = {
  zigbee: { kind: 'zigbee-coordinator', driver: 'zstack' },
  mbus: { kind: 'mbus-converter', driver: 'mbus-serial' },
  wmbus: { kind: 'wmbus-stick', driver: 'amber' },
};

/** The training premises' emulated dongles, listed beside real ones (the DCC simulator is a service, not a dongle). */
export function emulatedDongles(premises: RunningPremises): DongleInfo[] {
  const dongles: DongleInfo[] = [];
  for (const [name, emulator] of premises.emulators) {
    const shape = DONGLE_OF[name];
    if (!shape) continue;
    dongles.push({
      id: `emulated:${name}`,
      source: 'emulated',
      path: `tcp://127.0.0.1:${emulator.port}`,
      classification: { kind: shape.kind, certainty: 'identified', label: emulator.label, driver: shape.driver, candidates: [emulator.label] },
      inUse: false,
    });
  }
  return dongles;
}
