import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { XMLParser } from 'fast-xml-parser';
import { compactEui } from './eui';
import { readFrame } from './gbcs/framing';
import { toHex } from './gbcs/bytes';

/**
 * Device certificates from SMKI, as DCC Boxed's SMKI interface serves them (see emulator/smki-service.ts for the
 * paths and the query shape, the ones @smartdcc/dccboxed-keystore uses): search by the device's EUI-64 for its
 * in-use key-agreement and digital-signing certificates and retrieve each by serial. What is fetched is checked
 * and kept by device-certificate-cache.ts; a certificate that cannot be had leaves its verdicts "unknown".
 */
export interface SmkiEndpoint {
  /** e.g. `http://dcc-boxed.local:8083/` (DCC Boxed) or the simulator's `smkiUrl`. */
  readonly baseUrl: string;
  readonly ca?: string;
  /** Client certificate and key (PEM) when the interface asks for mutual TLS. */
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly timeoutMs?: number;
}

/** DCC Boxed's SMKI interface takes this public API key (dccboxed-keystore sends it on every query). */
const BOXED_API_KEY = 'u3bg9gt38htd0j2';
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'Result' });
type Node = Record<string, unknown>;

function post(endpoint: SmkiEndpoint, path: string, xml: string): Promise<{ status: number; body: string }> {
  const url = new URL(path.replace(/^\//, ''), endpoint.baseUrl.endsWith('/') ? endpoint.baseUrl : endpoint.baseUrl + '/');
  url.searchParams.set('apikey', BOXED_API_KEY);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        ...(endpoint.ca ? { ca: endpoint.ca } : {}),
        ...(endpoint.clientCert && endpoint.clientKey ? { cert: endpoint.clientCert, key: endpoint.clientKey } : {}),
        timeout: endpoint.timeoutMs ?? 5000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('SMKI did not answer in time')));
    req.on('error', reject);
    req.end(xml);
  });
}

const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>';

/** What SMKI gave for a device: PEM by usage (absent when SMKI has none), or why it could not be asked. */
export type SmkiAnswer = { readonly ka?: string; readonly ds?: string };

/**
 * Searches SMKI for the device's in-use certificates and retrieves them. Nothing here is trusted yet: the caller
 * checks each against the SMKI Device CA (device-certificate-check.ts) before using or keeping it.
 */
export async function fetchDeviceCertificates(endpoint: SmkiEndpoint, eui: string): Promise<SmkiAnswer> {
  const id = compactEui(eui);
  const san = id.toLowerCase().match(/../g)!.join('-');
  const search = await post(
    endpoint,
    'services/certificatesearch',
    `${XML_HEAD}<CertificateSearchRequest><CertificateSubjectAltName>${san}</CertificateSubjectAltName></CertificateSearchRequest>`,
  );
  if (search.status === 402) return {};
  if (search.status !== 200) throw new Error(`SMKI search answered HTTP ${search.status}`);
  const results = (((parser.parse(search.body) as Node).CertificateSearchResponse as Node | undefined)?.Result ?? []) as Node[];
  const found: { ka?: string; ds?: string } = {};
  for (const result of results) {
    const usage = result.CertificateUsage === 'KA' ? 'ka' : result.CertificateUsage === 'DS' ? 'ds' : undefined;
    if (!usage || result.CertificateStatus !== 'I' || typeof result.CertificateSerial !== 'string' || found[usage]) continue;
    const data = await post(
      endpoint,
      'services/retrievecertificate',
      `${XML_HEAD}<CertificateDataRequest><CertificateSerial>${result.CertificateSerial}</CertificateSerial></CertificateDataRequest>`,
    );
    if (data.status !== 200) continue;
    const body = (((parser.parse(data.body) as Node).CertificateDataResponse as Node | undefined)?.CertificateResponse as Node | undefined)?.CertificateBody;
    if (typeof body !== 'string') continue;
    try {
      found[usage] = new X509Certificate(Buffer.from(body, 'base64')).toString();
    } catch {
      // Not a certificate: as if SMKI had none for this usage.
    }
  }
  return found;
}

/** The originator EUI-64 of the GBCS payload in a DUIS response document, when it has one. */
export function gbcsPayloadOriginator(xml: string): string | undefined {
  const payload = /<(?:\w+:)?GBCSPayload>\s*([A-Za-z0-9+/=\s]+?)\s*<\/(?:\w+:)?GBCSPayload>/.exec(xml)?.[1];
  if (!payload) return undefined;
  try {
    const bytes = Buffer.from(payload, 'base64');
    if (bytes[0] === 0x3c) return undefined; // MMC XML, not GBCS
    return toHex(readFrame(bytes).header.originator);
  } catch {
    return undefined;
  }
}
