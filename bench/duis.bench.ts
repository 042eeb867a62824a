import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDccCredentials, testDccSigners, testUserCredentials, TEST_DCC_ID, TEST_USER_ID } from '../src-main/dcc/credentials';
import { buildDuisResponse } from '../src-main/dcc/duis-response';
import { startSimulatedGateway } from '../src-main/dcc/emulator/simulated-gateway';
import { buildDuisRequest } from '../src-main/dcc/request-builder';
import { exampleParams } from '../src-main/dcc/request-examples';
import { signDuisXml, verifyDuisXml } from '../src-main/dcc/xmldsig';
import { createPremisesModel } from '../src-main/premises/premises-model';

/**
 * DUIS throughput: build + sign a request, verify a signed response, and full 4.1.1 round trips (sign → HTTPS to
 * the simulator → I99 → signed asynchronous response → verify → correlate) with no simulated device delay.
 */
export async function run(): Promise<void> {
  const model = createPremisesModel(1);
  const user = testUserCredentials();
  let counter = 1n;
  const signCount = 300;
  let start = performance.now();
  for (let i = 0; i < signCount; i++) {
    const built = buildDuisRequest({
      variant: '8.11',
      params: exampleParams('8.11', model),
      userId: TEST_USER_ID,
      dccId: TEST_DCC_ID,
      counter: () => counter++,
    });
    signDuisXml(built.xml, user);
  }
  const signPerS = signCount / ((performance.now() - start) / 1000);
  console.log(`build+sign 8.11: ${signPerS.toFixed(0)} requests/s`);

  const response = signDuisXml(
    buildDuisResponse({
      requestId: `${TEST_USER_ID}:${TEST_DCC_ID}:1`,
      responseCode: 'I0',
      responseDateTime: new Date(),
      serviceReference: '8.9',
      serviceReferenceVariant: '8.9',
    }),
    testDccCredentials(),
  );
  start = performance.now();
  for (let i = 0; i < signCount; i++) verifyDuisXml(response, testDccSigners());
  const verifyPerS = signCount / ((performance.now() - start) / 1000);
  console.log(`verify response: ${verifyPerS.toFixed(0)} documents/s`);

  const dataDir = mkdtempSync(join(tmpdir(), 'han-bench-duis-'));
  const { gateway, stop } = await startSimulatedGateway({ model, dataDir, responseDelayMs: 0 });
  const esme = model.devices.find((d) => d.type === 'ESME')!.eui64;
  const rounds = 60;
  const latencies: number[] = [];
  start = performance.now();
  try {
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      const record = await gateway.waitForFinal((await gateway.submit('4.1.1', { deviceId: esme })).requestId, 10_000);
      if (record.state !== 'completed') throw new Error(`round trip ${i} ended ${record.state}`);
      latencies.push(performance.now() - t);
    }
  } finally {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const perS = rounds / ((performance.now() - start) / 1000);
  latencies.sort((a, b) => a - b);
  console.log(
    `4.1.1 round trip: median ${latencies[Math.floor(rounds / 2)]!.toFixed(1)} ms, p95 ${latencies[Math.floor(rounds * 0.95)]!.toFixed(1)} ms (durable queue + counter fsyncs included)`,
  );
  console.log(`duis: ${perS.toFixed(1)} round trips/s`);
}
