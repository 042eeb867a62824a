import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { buildJobReport } from '../src-main/reports/report-builder';
import { renderAll } from '../src-main/reports/report-files';
import { recordVisit, type VisitFixture } from '../src-main/reports/visit-fixture.test-support';

/**
 * `report`: time to make one visit's PDF + JSON + CSV from its job events (report build, including opening
 * the sealed install codes, and rendering all three), for a 1-device and a 16-device visit. Recording the
 * visits is not timed. One warm-up pays the fixed costs (pdfkit's font metrics) once; each figure is the
 * median of ROUNDS runs. Last line: `report: <ms for 16 devices> ms ratio <t16/t1>` (goal < 1000 ms, ratio ≤ 2).
 */
const ROUNDS = 9;

async function median(fixture: VisitFixture): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const report = await buildJobReport(fixture.store, fixture.secrets, fixture.jobId);
    const rendered = await renderAll(report);
    times.push(performance.now() - start);
    if (rendered.pdf.length === 0 || rendered.csv.length === 0) throw new Error('empty report');
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

export async function run(): Promise<void> {
  const one = await recordVisit({ devices: 1, finished: true });
  const sixteen = await recordVisit({ devices: 16, finished: true });
  try {
    await median(one); // warm-up
    const t1 = await median(one);
    const t16 = await median(sixteen);
    const events = sixteen.store.getJob(sixteen.jobId).seq;
    console.log(`report 1 device: ${t1.toFixed(1)} ms; 16 devices (${events} events): ${t16.toFixed(1)} ms (median of ${ROUNDS})`);
    console.log(`report: ${t16.toFixed(0)} ms ratio ${(t16 / t1).toFixed(2)}`);
  } finally {
    for (const fixture of [one, sixteen]) {
      await fixture.store.close();
      await rm(fixture.dataDir, { recursive: true, force: true });
    }
  }
}
