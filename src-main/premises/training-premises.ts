import type { Logger } from '../util/logger';
import type { EmulatorFactory, EmulatorName, RunningEmulator } from './emulator';
import { emulatorFactories } from './emulators';
import { createPremisesModel, type PremisesModel } from './premises-model';

export interface TrainingPremisesOptions {
  seed?: number;
  log: Logger;
  /** Defaults to every registered emulator; tests pass a subset. */
  factories?: readonly EmulatorFactory[];
}

export interface RunningPremises {
  readonly model: PremisesModel;
  readonly ports: Partial<Record<EmulatorName, number>>;
  readonly emulators: ReadonlyMap<EmulatorName, RunningEmulator & { label: string }>;
  stop(): Promise<void>;
}

/**
 * Starts the training premises: the seeded virtual premises and each emulator on a loopback port the system
 * chooses. If one emulator fails to start, the ones already started are stopped before the error is raised.
 */
export async function startTrainingPremises(options: TrainingPremisesOptions): Promise<RunningPremises> {
  const model = createPremisesModel(options.seed ?? 1);
  const emulators = new Map<EmulatorName, RunningEmulator & { label: string }>();
  const stopAll = async (): Promise<void> => {
    const running = [...emulators.values()].reverse();
    emulators.clear();
    await Promise.allSettled(running.map((emulator) => emulator.stop()));
  };
  try {
    for (const factory of options.factories ?? emulatorFactories) {
      const running = await factory.start({ model, log: options.log.child(`premises:${factory.name}`), host: '127.0.0.1' });
      emulators.set(factory.name, { ...running, label: factory.label, stop: () => running.stop() });
      options.log.info('emulator started', { emulator: factory.name, port: running.port });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const ports: Partial<Record<EmulatorName, number>> = {};
  for (const [name, emulator] of emulators) ports[name] = emulator.port;
  return { model, ports, emulators, stop: stopAll };
}
