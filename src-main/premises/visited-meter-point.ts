import type { TrainingMeterPointView } from '../../src-shared/ipc/channels/jobs';

/**
 * The training premises' meter point. The virtual premises takes the MPAN/MPRN of the job being visited, so a
 * training visit is never stopped by the premises' own numbers; a trainer may set a deliberate MPAN mismatch.
 */
export class VisitedMeterPoint {
  readonly #premises: { readonly mpan: string; readonly mprn: string } | undefined;
  #job: { readonly mpan?: string | undefined; readonly mprn?: string | undefined } | undefined;
  #trainerMpan: string | undefined;

  constructor(premises: { readonly mpan: string; readonly mprn: string } | undefined, trainerMpan?: string) {
    this.#premises = premises;
    this.#trainerMpan = trainerMpan;
  }

  /** The job the engineer has open (undefined when none). */
  visit(job: { readonly mpan?: string | undefined; readonly mprn?: string | undefined } | undefined): void {
    this.#job = job;
  }

  setTrainerMpan(mpan: string | undefined): void {
    this.#trainerMpan = mpan;
  }

  /** The MPAN the premises' electricity meter reports, or undefined off the training premises. */
  mpan(): string | undefined {
    return this.view().mpan;
  }

  view(): TrainingMeterPointView {
    if (!this.#premises) return { running: false };
    const mprn = this.#job?.mprn ?? this.#premises.mprn;
    const trainer = this.#trainerMpan ? { trainerMpan: this.#trainerMpan } : {};
    if (this.#trainerMpan) return { running: true, mpan: this.#trainerMpan, mprn, source: 'trainer', ...trainer };
    if (this.#job?.mpan) return { running: true, mpan: this.#job.mpan, mprn, source: 'job' };
    return { running: true, mpan: this.#premises.mpan, mprn, source: this.#job?.mprn ? 'job' : 'premises' };
  }
}
