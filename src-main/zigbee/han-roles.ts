import { AppError } from '../../src-shared/ipc/result';

/**
 * A ZigBee dongle plays one role at a time:
 * - coordinator: forms and runs the job's network (HanService over zigbee-herdsman's Controller);
 * - survey: listens passively (energy scan, beacons, traffic) without forming or joining anything. The RF-survey
 *   work implements it; it must never start a herdsman Controller on the dongle, because Controller.start()
 *   forms, resumes or restores a network on whatever it is given.
 * Both roles claim the dongle's path here first, so one can never take over a dongle the other is using.
 */
export type HanRole = 'coordinator' | 'survey';

/** What the survey role will offer (implemented by the RF-survey work). */
export interface SurveyRole {
  readonly role: 'survey';
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class DongleRoles {
  readonly #claims = new Map<string, HanRole>();

  claim(path: string, role: HanRole): () => void {
    const held = this.#claims.get(path);
    if (held && held !== role) throw new AppError('DONGLE_BUSY', `The dongle at ${path} is in use for the ${held} role; stop that first.`);
    if (held === role) throw new AppError('DONGLE_BUSY', `The dongle at ${path} is already in use as ${role}.`);
    this.#claims.set(path, role);
    return () => {
      if (this.#claims.get(path) === role) this.#claims.delete(path);
    };
  }

  roleOf(path: string): HanRole | undefined {
    return this.#claims.get(path);
  }
}

/** The app's one registry (main process). */
export const dongleRoles = new DongleRoles();
