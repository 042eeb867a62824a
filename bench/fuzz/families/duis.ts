import { testDccCredentials, testDccSigners, testUserCredentials, TEST_DCC_ID, TEST_USER_ID } from '../../../src-main/dcc/credentials';
import { buildDuisResponse, parseDuisResponse } from '../../../src-main/dcc/duis-response';
import { buildMmcResponse } from '../../../src-main/dcc/mmc';
import { buildDuisRequest } from '../../../src-main/dcc/request-builder';
import { exampleParams } from '../../../src-main/dcc/request-examples';
import { SERVICE_REQUEST_VARIANTS } from '../../../src-main/dcc/service-requests';
import { DuisSignatureError, signDuisXml, verifyDuisXml } from '../../../src-main/dcc/xmldsig';
import { createPremisesModel } from '../../../src-main/premises/premises-model';
import type { FuzzFamily } from '../family';

const AT = new Date(Date.UTC(2026, 0, 15, 9, 30));
let cached: Buffer[] | undefined;

/** Signed DUIS documents as the DCC and our User send them: responses (plain, MMC device response, alert) and requests. */
function duisSeeds(): Buffer[] {
  if (cached) return cached;
  const model = createPremisesModel(3);
  const dcc = testDccCredentials();
  const requestId = `${TEST_USER_ID}:${TEST_DCC_ID}:42`;
  const responses = [
    buildDuisResponse({ requestId, responseCode: 'I0', responseDateTime: AT, serviceReference: '8.9', serviceReferenceVariant: '8.9' }),
    buildDuisResponse({ requestId, responseCode: 'E4', responseDateTime: AT }),
    buildDuisResponse({
      requestId,
      responseCode: 'I0',
      responseDateTime: AT,
      serviceReference: '4.1.1',
      serviceReferenceVariant: '4.1.1',
      mmcXml: safeMmc(),
    }),
  ].map((xml) => signDuisXml(xml, dcc));
  let counter = 1000n;
  const requests = SERVICE_REQUEST_VARIANTS.flatMap((variant) => {
    try {
      const built = buildDuisRequest({
        variant,
        params: exampleParams(variant, model, AT),
        userId: TEST_USER_ID,
        dccId: TEST_DCC_ID,
        counter: () => counter++,
      });
      return [signDuisXml(built.xml, testUserCredentials())];
    } catch {
      return [];
    }
  });
  cached = [...responses, ...requests].map((xml) => Buffer.from(xml));
  return cached;
}

function safeMmc(): string {
  return buildMmcResponse({
    originatorId: '00-DB-12-34-56-78-90-A0',
    targetId: TEST_USER_ID,
    originatorCounter: 42n,
    serviceReference: '4.1',
    serviceReferenceVariant: '4.1.1',
    timestamp: AT,
    data: { kind: 'import-register', valueWh: 123456, unit: 'Wh' },
  });
}

/** Parsing a (verified) DUIS response: a document that is not one is refused with an Error, never a crash of another kind. */
export const duisParse: FuzzFamily = {
  name: 'duis-parse',
  description: 'DUIS response XML read by parseDuisResponse',
  seeds: duisSeeds,
  kind: 'text',
  maxLength: 16_384,
  run: (input) => void parseDuisResponse(input.toString('utf8')),
  // Its documented refusal is a plain Error ("not a DUIS Response document", the XML parser's own); a
  // TypeError or RangeError is a crash.
  expected: (error) => error instanceof Error && error.name === 'Error',
};

const signers = testDccSigners();
const users = { certificates: [testUserCredentials().certificate, testDccCredentials().certificate] };

/** Signature verification of what arrives from the network: every refusal is a DuisSignatureError with its reason. */
export const duisVerify: FuzzFamily = {
  name: 'duis-verify',
  description: 'XMLDSig verification of DUIS documents (before anything in them is believed)',
  seeds: duisSeeds,
  kind: 'text',
  maxLength: 16_384,
  run(input) {
    const xml = input.toString('utf8');
    verifyDuisXml(xml, xml.includes('<sr:Request') ? users : signers);
  },
  expected: (error) => error instanceof DuisSignatureError,
};
