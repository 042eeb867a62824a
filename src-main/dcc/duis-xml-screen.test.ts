import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import { testDccCredentials, testDccSigners, TEST_DCC_ID, TEST_USER_ID } from './credentials';
import { buildDuisResponse } from './duis-response';
import { DUIS_LIMITS, screenDuisXml } from './duis-xml-screen';
import { DuisSignatureError, signDuisXml, verifyDuisXml } from './xmldsig';

const signed = signDuisXml(
  buildDuisResponse({ requestId: `${TEST_USER_ID}:${TEST_DCC_ID}:42`, responseCode: 'I0', responseDateTime: new Date(Date.UTC(2026, 0, 15)) }),
  testDccCredentials(),
);
const rootEnd = signed.lastIndexOf('</');
const insideRoot = (fragment: string): string => signed.slice(0, rootEnd) + fragment + signed.slice(rootEnd);
const afterRootStart = (fragment: string): string => signed.replace(/^(<[^>]+>)/, `$1${fragment}`);

function refusal(xml: string): DuisSignatureError {
  try {
    verifyDuisXml(xml, testDccSigners());
  } catch (error) {
    if (error instanceof DuisSignatureError) return error;
    throw new Error(`escaped as ${(error as Error).name}: ${(error as Error).message}`);
  }
  throw new Error('accepted');
}

describe('what DUIS never contains is refused before verifying', () => {
  it('still verifies a DUIS document, with or without an XML declaration', () => {
    expect(verifyDuisXml(signed, testDccSigners()).signedXml).toContain('ResponseCode');
    const bare = signed.replace(/^<\?xml[^>]*\?>/, '');
    expect(screenDuisXml(`<?xml version="1.0" encoding="UTF-8"?>\n${bare}\n`)).toBeUndefined();
    expect(screenDuisXml(bare)).toBeUndefined();
  });

  it.each([
    ['a DOCTYPE', `<!DOCTYPE r [<!ENTITY a "x">]>${signed}`, 'DOCTYPE'],
    ['a processing instruction', afterRootStart('<?evil x?>'), 'processing instruction'],
    ['a CDATA section', insideRoot('<![CDATA[x]]>'), 'CDATA'],
    ['text outside the root', `${signed}trailing`, 'text outside the root'],
    ['a second root', `${signed}<x/>`, 'more than one root'],
    ['two Signatures', insideRoot('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'), 'more than one Signature'],
    ['two SignedInfos', signed.replace('</ds:SignedInfo>', '</ds:SignedInfo><ds:SignedInfo/>'), 'more than one SignedInfo'],
    ['8,000 comments (2.5 s before)', insideRoot('<!-- c -->'.repeat(8000)), 'comment'],
    ['10,000 nested elements (over 10 s before)', insideRoot('<a>'.repeat(10_000) + '</a>'.repeat(10_000)), 'nested deeper'],
    ['more than the size limit', insideRoot(`<a>${'x'.repeat(DUIS_LIMITS.maxBytes)}</a>`), 'larger than'],
  ])('%s', (_name, xml, reason) => {
    const error = refusal(xml);
    expect(error.reason).toBe('malformed');
    expect(error.message).toContain(reason);
  });

  it('turns every other failure into a DuisSignatureError with its reason (fuzzed)', () => {
    const random = seededRandom(15);
    const reasons = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const bytes = [...signed];
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        const at = Math.floor(random() * bytes.length);
        const op = Math.floor(random() * 3);
        if (op === 0) bytes.splice(at, 1 + Math.floor(random() * 8));
        else if (op === 1) bytes.splice(at, 0, '<>&"\'/=:ds'[Math.floor(random() * 10)]!);
        else bytes[at] = String.fromCharCode(32 + Math.floor(random() * 95));
      }
      try {
        verifyDuisXml(bytes.join(''), testDccSigners());
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(DuisSignatureError);
        reasons.add((error as DuisSignatureError).reason);
      }
    }
    expect(reasons.size).toBeGreaterThan(2);
  });
});
