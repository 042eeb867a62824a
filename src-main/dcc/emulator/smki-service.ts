import { X509Certificate } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { compactEui, isEui64 } from '../eui';
import type { DeviceIdentity, DevicePki } from './device-pki';

/**
 * The simulator's SMKI repository interface, shaped as a DCC Boxed serves it (port 8083 there; here on the
 * simulator's own HTTPS port), as @smartdcc/dccboxed-keystore queries it:
 * - `POST /services/certificatesearch` with `<CertificateSearchRequest><CertificateSubjectAltName>aa-bb-…`
 *   answers `<CertificateSearchResponse>` with one `<Result>` per certificate (serial in hex, usage KA/DS,
 *   status I = in use), or HTTP 402 when SMKI holds none for that device;
 * - `POST /services/retrievecertificate` with `<CertificateDataRequest><CertificateSerial>` answers
 *   `<CertificateDataResponse><CertificateResponse><CertificateBody>` (base64 DER), or 402.
 * An `apikey` query parameter is accepted as DCC Boxed's is. Only certificates issued by the simulator's test
 * SMKI Device CA are known; a device it never certified is not.
 */
export const SMKI_SEARCH_PATH = '/services/certificatesearch';
export const SMKI_RETRIEVE_PATH = '/services/retrievecertificate';

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
type Node = Record<string, unknown>;

const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>';
const NOT_FOUND = { status: 402, body: '' } as const;
const dashedLower = (eui: string): string => compactEui(eui).toLowerCase().match(/../g)!.join('-');

function usages(identity: DeviceIdentity): { usage: 'KA' | 'DS'; certificate: string; serial: string }[] {
  return [
    { usage: 'KA', certificate: identity.ka.certificate, serial: identity.ka.serial },
    { usage: 'DS', certificate: identity.ds.certificate, serial: identity.ds.serial },
  ];
}

export function handleSmkiRequest(pki: DevicePki, path: string, body: string): { status: number; body: string } | undefined {
  if (path !== SMKI_SEARCH_PATH && path !== SMKI_RETRIEVE_PATH) return undefined;
  let doc: Node;
  try {
    doc = parser.parse(body) as Node;
  } catch {
    return { status: 401, body: '' };
  }
  if (path === SMKI_SEARCH_PATH) {
    const request = doc.CertificateSearchRequest as Node | undefined;
    const san = typeof request?.CertificateSubjectAltName === 'string' ? request.CertificateSubjectAltName.trim() : '';
    if (!isEui64(san)) return { status: 401, body: '' }; // DCC Boxed: "invalid search parameters"
    const identity = pki.device(san);
    if (!identity) return NOT_FOUND;
    const results = usages(identity)
      .map(
        (u) =>
          `<Result><CertificateSerial>${u.serial.toLowerCase()}</CertificateSerial><CertificateSubjectAltName>${dashedLower(identity.eui)}</CertificateSubjectAltName>` +
          `<CertificateUsage>${u.usage}</CertificateUsage><CertificateStatus>I</CertificateStatus></Result>`,
      )
      .join('');
    return { status: 200, body: `${XML_HEAD}<CertificateSearchResponse>${results}</CertificateSearchResponse>` };
  }
  const request = doc.CertificateDataRequest as Node | undefined;
  const serial = typeof request?.CertificateSerial === 'string' ? request.CertificateSerial.trim().toUpperCase().replace(/^0+/, '') : '';
  if (!/^[0-9A-F]+$/.test(serial)) return { status: 401, body: '' };
  for (const identity of pki.devices())
    for (const u of usages(identity))
      if (u.serial.replace(/^0+/, '') === serial) {
        const der = new X509Certificate(u.certificate).raw.toString('base64');
        return {
          status: 200,
          body:
            `${XML_HEAD}<CertificateDataResponse><CertificateResponse><CertificateSerial>${u.serial.toLowerCase()}</CertificateSerial>` +
            `<CertificateSubjectAltName>${dashedLower(identity.eui)}</CertificateSubjectAltName><CertificateUsage>${u.usage}</CertificateUsage>` +
            `<CertificateStatus>I</CertificateStatus><CertificateBody>${der}</CertificateBody></CertificateResponse></CertificateDataResponse>`,
        };
      }
  return NOT_FOUND;
}
