import { describe, expect, it } from 'vitest';
import { createPremisesModel } from '../../premises/premises-model';
import { zaz1KeyStore, combineKeyStores } from '../gbcs/keys';
import { decodeGbcs } from '../gbcs/decode';
import { useCaseFor } from '../gbcs/use-cases';
import { compactEui, toDuisEui } from '../eui';
import { gbcsRefusal, requireSender, summariseGbcsPayload } from '../gbcs/duis-payload';
import { seededRandom } from '../../util/seeded-random';
import { deviceHandlers, type SimulatedPremises, type SmiStatus } from './device-handlers';
import { createDevicePki } from './device-pki';
import { createGbcsResponder, GBCS_FAULTS } from './gbcs-responder';
import { simulatedFirmwareVersion } from './device-firmware';

/**
 * Property: whatever the premises and the request, every payload the simulator produces for a device SR decodes
 * with the app's GBCS reader — keys = the ZAZ1 test User's (as the app holds them in training) and the device
 * certificates SMKI serves — with valid verdicts, the use case of that SR, and the content the handler meant.
 */
describe('simulator GBCS responses, every device SR', () => {
  it('decode with the app’s reader with a valid MAC and the SR’s use case, over seeded premises and request orders', () => {
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const model = createPremisesModel(seed);
      const random = seededRandom(seed * 7919);
      const pki = createDevicePki([...model.devices, model.rf.gpf]);
      const keys = combineKeyStores([zaz1KeyStore(), pki.keyStore()]);
      const respond = createGbcsResponder({ pki, userId: '90-B3-D5-1F-30-01-00-00', now: () => model.esmeRegister.epochMs + seed * 60_000 });
      const all = [...model.devices, model.rf.gpf];
      // An HCALCS pre-notified by 12.2 (the premises has none of its own), on the HAN.
      const hcalcs = `00-DB-12-34-56-78-${seed.toString(16).padStart(2, '0').toUpperCase()}-A5`;
      const id = (type: string): string => (type === 'HCALCS' ? hcalcs : toDuisEui(all.find((d) => d.type === type)!.eui64));
      const premises: SimulatedPremises = {
        model,
        smi: new Map<string, SmiStatus>([...all.map((d) => toDuisEui(d.eui64)), hcalcs].map((eui) => [eui, 'Commissioned'])),
        typeOf: new Map([...all.map((d) => [toDuisEui(d.eui64), d.type] as const), [hcalcs, 'HCALCS']]),
        deviceLog: [],
        chfId: id('CHF'),
        now: () => model.esmeRegister.epochMs + seed * 60_000,
        wrongValueWh: () => 0,
      };
      const requests: { variant: string; target: string; body: Record<string, unknown> }[] = [
        {
          variant: '8.11',
          target: id('CHF'),
          body: { DeviceID: id('IHD'), RequestType: 'Add', AddDeviceToCHFWhitelist: { InstallCode: 'AA', JoinTimePeriod: '60' } },
        },
        {
          variant: '8.11',
          target: id('CHF'),
          body: { DeviceID: id('PPMID'), RequestType: 'Add', AddDeviceToCHFWhitelist: { InstallCode: 'AA', JoinTimePeriod: '60' } },
        },
        { variant: '8.9', target: id('CHF'), body: {} },
        { variant: '8.7.2', target: id('ESME'), body: { OtherDeviceID: id('IHD') } },
        { variant: '8.7.2', target: id('GPF'), body: { OtherDeviceID: id('IHD') } },
        { variant: '8.7.2', target: id('ESME'), body: { OtherDeviceID: id('PPMID') } },
        { variant: '8.7.2', target: id('GSME'), body: { OtherDeviceID: '00-00-00-00-00-00-00-01' } },
        { variant: '8.9', target: id('ESME'), body: {} },
        { variant: '8.9', target: id('GSME'), body: {} },
        { variant: '4.1.1', target: id('ESME'), body: {} },
        { variant: '4.1.1', target: id('GSME'), body: {} },
        { variant: '8.11', target: id('CHF'), body: { DeviceID: id('IHD'), RequestType: 'Remove' } },
        { variant: '11.2', target: id('ESME'), body: {} },
        { variant: '11.2', target: id('GSME'), body: {} },
        { variant: '11.2', target: id('CHF'), body: {} },
        { variant: '11.2', target: id('PPMID'), body: {} },
        { variant: '11.2', target: id('HCALCS'), body: {} },
      ];
      // Seeded shuffle: the state the premises is in when a request comes varies between runs.
      const order = requests.map((r) => ({ r, k: random() })).sort((a, b) => a.k - b.k);
      for (const { r } of order) {
        const counter = BigInt(model.esmeRegister.epochMs) + BigInt(Math.floor(random() * 1e6));
        const request = { ...r, counter };
        const handler = deviceHandlers[r.variant]!;
        handler.check(request, premises);
        const answer = handler.answer(request, premises);
        const bytes = respond({ answer: answer.gbcs, deviceId: r.target, deviceType: premises.typeOf.get(r.target)!, requestCounter: counter, fault: 'none' });
        const decoded = decodeGbcs(bytes, keys);
        const label = `seed ${seed} ${r.variant} → ${premises.typeOf.get(r.target)}`;
        expect(decoded, label).toMatchObject({ ok: true, cra: 'response', mac: 'valid', signature: 'absent', trusted: true });
        if (!decoded.ok) continue;
        expect(useCaseFor(Number(decoded.messageCode))?.serviceReferences, label).toContain(r.variant);
        expect(decoded.originator, label).toBe(r.target);
        const viaAcb = ['CHF', 'GPF', 'PPMID', 'HCALCS'].includes(premises.typeOf.get(r.target)!);
        expect(decoded.recipient, label).toBe(viaAcb ? '90-B3-D5-1F-30-00-00-02' : '90-B3-D5-1F-30-01-00-00');
        if (viaAcb) expect(decoded.supplementaryRemoteParty, label).toBe('90-B3-D5-1F-30-01-00-00');
        else expect(decoded.counter, label).toBe(counter.toString());
        const mmc = answer.mmc;
        if (mmc.kind === 'import-register')
          expect(decoded, label).toMatchObject({ decryption: 'decrypted', reading: { value: Math.floor(mmc.valueWh), unit: 'Wh' } });
        if (mmc.kind === 'gas-register') expect(decoded.reading!.value, label).toBeCloseTo(mmc.valueM3, 3);
        if (mmc.kind === 'firmware-version') {
          expect(mmc.version, label).toBe(simulatedFirmwareVersion(model, r.target));
          expect(decoded.result, label).toEqual({ kind: 'firmware-version', version: mmc.version });
        }
        if (mmc.kind === 'join') expect(decoded.result, label).toMatchObject({ kind: 'join', success: mmc.success });
        if (mmc.kind === 'han-device-log-updated') expect(decoded.result, label).toMatchObject({ kind: 'device-log-update', success: mmc.success });
        if (mmc.kind === 'chf-device-log' && r.target === premises.chfId)
          expect(
            (decoded.result as unknown as { entries: { deviceId: string }[] }).entries.map((e) => toDuisEui(e.deviceId)),
            label,
          ).toEqual(mmc.entries.map((e) => e.deviceId));
        checked++;
      }
    }
    expect(checked).toBe(12 * 17);
  });

  it('each training fault makes the reader refuse the response, with nothing of its content given', () => {
    const model = createPremisesModel(5);
    const pki = createDevicePki([...model.devices, model.rf.gpf]);
    const keys = combineKeyStores([zaz1KeyStore(), pki.keyStore()]);
    const respond = createGbcsResponder({ pki, userId: '90B3D51F30010000', now: Date.now });
    const esme = model.devices.find((d) => d.type === 'ESME')!;
    const premises = {
      model,
      smi: new Map<string, SmiStatus>(),
      typeOf: new Map([[toDuisEui(esme.eui64), 'ESME']]),
      deviceLog: [],
      chfId: '',
      now: Date.now,
      wrongValueWh: () => 0,
    };
    const answer = deviceHandlers['4.1.1']!.answer({ variant: '4.1.1', body: {}, target: toDuisEui(esme.eui64), counter: 77n }, premises).gbcs;
    const expected = {
      'bad-mac': { mac: 'invalid', untrustedReason: expect.stringContaining('MAC does not verify') },
      'bad-signature': { mac: 'valid', signature: 'invalid', untrustedReason: expect.stringContaining('signature does not verify') },
      undecryptable: { mac: 'valid', trusted: true, decryption: 'invalid', reading: null },
      'unknown-device': { mac: 'unknown', untrustedReason: expect.stringContaining('no key-agreement key or certificate is known') },
    } as const;
    for (const fault of GBCS_FAULTS.filter((f) => f !== 'none')) {
      const decoded = decodeGbcs(respond({ answer, deviceId: esme.eui64, deviceType: 'ESME', requestCounter: 77n, fault }), keys);
      if (fault === 'other-device') {
        // Sound on its own (a certified device's valid MAC): only the sender check against the target refuses it.
        expect(decoded).toMatchObject({ ok: true, mac: 'valid', trusted: true });
        expect(decoded.ok && decoded.originator.replace(/-/g, '')).not.toBe(compactEui(esme.eui64));
        const summary = summariseGbcsPayload(
          respond({ answer, deviceId: esme.eui64, deviceType: 'ESME', requestCounter: 77n, fault }).toString('base64'),
          keys,
        );
        expect(requireSender(summary, toDuisEui(esme.eui64))).toMatchObject({ trusted: false, result: null, reading: null });
        expect(gbcsRefusal(requireSender(summary, toDuisEui(esme.eui64)))).toMatch(/not from .*the device the request went to/);
        continue;
      }
      expect(decoded, fault).toMatchObject({ ok: true, reading: null, ...expected[fault as keyof typeof expected] });
      if (fault !== 'undecryptable') expect(decoded, fault).toMatchObject({ trusted: false, result: null, plaintext: null });
    }
  });
});
