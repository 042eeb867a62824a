import { describe, expect, it } from 'vitest';
import { buildDuisResponse, CONNECTIVITY_LIKELIHOODS, CSP_REGIONS, parseDuisResponse, type WanMatrix } from './duis-response';
import { rtdsKeys, rtdsMessage } from './gbcs/rtds-corpus';

const matrix: WanMatrix & { requestXml: string } = {
  requestXml: '<sr:UPRN>10023117655</sr:UPRN>',
  cspRegion: 'Central',
  coverageAvailability: true,
  wanTechnology: 'Cellular',
  connectivityLikelihood: 'Medium',
};

const reply = (m: typeof matrix): string =>
  buildDuisResponse({ requestId: 'R', responseCode: 'I0', responseDateTime: new Date(0), serviceReference: '12.1', wanMatrix: m });

describe('DSPWANMatrix enumerations', () => {
  it('reads CSPRegion and ConnectivityLikelihood as the DUIS V5.1 enumerations', () => {
    expect(CSP_REGIONS).toEqual(['North', 'Central', 'South', 'Unknown', 'SMETS1']);
    expect(CONNECTIVITY_LIKELIHOODS).toEqual(['High', 'Medium', 'Low']);
    const body = parseDuisResponse(reply(matrix)).body;
    expect(body.kind === 'response' && body.wanMatrix).toMatchObject({ cspRegion: 'Central', connectivityLikelihood: 'Medium' });
  });

  it('refuses free text where DUIS has an enumeration, naming the element', () => {
    expect(() => parseDuisResponse(reply({ ...matrix, cspRegion: 'Midlands' as WanMatrix['cspRegion'] }))).toThrow(
      /CSPRegion "Midlands" is not one of North, Central/,
    );
    expect(() => parseDuisResponse(reply({ ...matrix, connectivityLikelihood: 'high' as WanMatrix['connectivityLikelihood'] }))).toThrow(
      /ConnectivityLikelihood "high"/,
    );
  });
});

describe('sr:GBCSPayload', () => {
  it('is decoded as GBCS and checked with the keys given', () => {
    const xml = buildDuisResponse({
      requestId: 'R',
      responseCode: 'I0',
      responseDateTime: new Date(0),
      serviceReference: '4.1.1',
      gbcs: rtdsMessage('GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX'),
    });
    const checked = parseDuisResponse(xml, rtdsKeys()).body;
    expect(checked.kind === 'response' && checked.gbcs).toMatchObject({
      ok: true,
      useCase: 'GCS13a',
      mac: 'valid',
      trusted: true,
      reading: { value: 12.345, unit: 'm3' },
    });
    const unchecked = parseDuisResponse(xml).body;
    expect(unchecked.kind === 'response' && unchecked.gbcs).toMatchObject({ ok: true, mac: 'unknown', trusted: false, result: null, reading: null });
  });
});
