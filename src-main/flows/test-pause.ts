/**
 * A test-only hook for the process-level resume test (e2e/visit-resume.e2e.ts): with HAN_TEST_PAUSE set to
 * `<point>@<step key>` (e.g. `sent@whitelist:D2`; several separated by commas), the visit runner stops at that point of that step, says so
 * on stderr (`HAN_TEST_PAUSED <point>@<key>`) and never goes on, so the test can SIGKILL the host exactly there.
 * Points: `started` (the step-started event is written, nothing done yet), `sent` (a request is on the wire:
 * the DCC acknowledged it, or joining was opened, and nothing about it is in the job yet), `result` (the step's
 * side effects are done, its result is not written), `transformed` (a critical request: Transform answered, the
 * signed pre-command is queued for serviceS and not yet sent). Without the variable (production) every call is a no-op.
 */
export type PausePoint = 'started' | 'sent' | 'result' | 'transformed';

export async function testPause(point: PausePoint, stepKey: string): Promise<void> {
  const wanted = process.env.HAN_TEST_PAUSE;
  const here = `${point}@${stepKey}`;
  if (!wanted?.split(',').includes(here)) return;
  process.stderr.write(`HAN_TEST_PAUSED ${here}\n`);
  await new Promise<never>(() => undefined);
}
