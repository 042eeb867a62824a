import type { PremisesModel } from '../premises/premises-model';
import type { VisitRunner } from './visit-runner';

/**
 * The opening of a live Comms Hub visit on the training premises' numbers: begun, pre-checks confirmed, no existing
 * meter, the Comms Hub fitted with a WAN. Tests then run the per-device steps they are about.
 */
/** What the engineer enters for the fitted Comms Hub (the premises' CHF). */
export function commsHubAnswer(model: PremisesModel) {
  return {
    form: 'comms-hub',
    chfId: model.devices.find((d) => d.type === 'CHF')!.eui64,
    connectionMethod: 'Hot-shoe',
    location: 'Deep indoors',
    premiseType: 'Terraced',
    aerialInstall: false,
    wanAvailable: true,
  } as const;
}

export async function openLiveVisit(runner: VisitRunner, jobId: string, model: PremisesModel): Promise<void> {
  await runner.begin(jobId, 'live-comms-hub');
  await runner.answer(jobId, 'arrival', { form: 'pre-checks', jobDetailsConfirmed: true, mpanConfirmed: true });
  await runner.run(jobId, 'arrival');
  await runner.skip(jobId, 'remove-meters', 'new connection', 'no-existing-meter');
  await runner.answer(jobId, 'fit-comms-hub', commsHubAnswer(model));
  await runner.run(jobId, 'fit-comms-hub');
}
