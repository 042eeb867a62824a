import { AppError } from '../../src-shared/ipc/result';

/**
 * A ZigBee dongle plays one role at a time:
 * - coordinator: forms and runs the job's network (HanService over zigbee-herdsman's Controller);
 * - survey: RF survey (zigbee/diagnostics/) without ever joining another network. It never starts a herdsman
 *   Controller on the dongle, because Controller.start() forms, resumes or restores a network on whatever it is
 *   given; it drives the adapter's MT/EZSP layer directly. Beacon scans need no network. A Z-Stack energy scan
 *   (Mgmt_NWK_Update_req to itself) needs a started one, so the survey role starts a dongle that already holds a
 *   network unchanged (nothing written to NV, joining closed), and gives a factory-new dongle a closed,
 *   device-less network of its own for the scan, and says so. It never changes a network that holds a job:
 *   while the job's coordinator runs on the dongle, energy scans go through that coordinator and beacon scans
 *   are refused.
 * Both roles claim the dongle's path here first, so one can never take over a dongle the other is using.
 */
export type HanRole = 'coordinator' | 'survey';

/** The survey role's lifecycle (zigbee/diagnostics/scanner.ts claims the dongle for one scan at a time). */
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
