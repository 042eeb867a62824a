import { zigbeeEmulatorFactory } from '../zigbee/emulator/zigbee-emulator-factory';
import { dccEmulatorFactory } from '../dcc/emulator/dcc-emulator';
import { mbusEmulatorFactory } from '../mbus/wired/emulator/mbus-emulator';
import { wmbusEmulatorFactory } from '../mbus/wireless/emulator/amber-emulator';
import type { EmulatorFactory } from './emulator';

/**
 * Every emulator the training premises starts. Each capability folder exports its factory from
 * `<capability>/emulator/`; add it here once it speaks the real wire protocol.
 */
export const emulatorFactories: readonly EmulatorFactory[] = [zigbeeEmulatorFactory, dccEmulatorFactory, mbusEmulatorFactory, wmbusEmulatorFactory];
