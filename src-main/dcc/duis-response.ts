import { XMLParser } from 'fast-xml-parser';
import { DUIS_SCHEMA_VERSION, SR_NS } from './duis-codes';
import type { GbcsKeyStore } from './gbcs/keys';
import { summariseGbcsPayload, type GbcsSummary } from './gbcs/duis-payload';
import { parseMmc, type MmcResponse } from './mmc';
import { el, wrap } from './xml-text';

/** A DUIS `sr:Response` as the gateway sees it, after its signature has been checked. */
export interface DuisResponse {
  readonly requestId?: string;
  readonly responseId?: string;
  readonly responseCode: string;
  readonly responseDateTime: string;
  readonly body: DuisResponseBody;
}

/** DUIS V5.1 `sr:CSPRegion` enumeration. */
export const CSP_REGIONS = ['North', 'Central', 'South', 'Unknown', 'SMETS1'] as const;
export type CspRegion = (typeof CSP_REGIONS)[number];
/** DUIS V5.1 `DSPWANMatrix/ConnectivityLikelihood` enumeration. */
export const CONNECTIVITY_LIKELIHOODS = ['High', 'Medium', 'Low'] as const;
export type ConnectivityLikelihood = (typeof CONNECTIVITY_LIKELIHOODS)[number];

/** SR 12.1 result (DUIS `DSPWANMatrix`): whether and how a Comms Hub at the premises can reach the SM WAN. */
export interface WanMatrix {
  readonly cspRegion: CspRegion;
  readonly coverageAvailability: boolean;
  readonly anticipatedCoverageDate?: string;
  readonly wanTechnology: string;
  readonly connectivityLikelihood: ConnectivityLikelihood;
  readonly auxiliaryEquipmentRequired?: string;
  readonly additionalInformation?: string;
}

export type DuisResponseBody =
  | {
      readonly kind: 'response';
      /** Non-device 12.1 result. */
      readonly wanMatrix?: WanMatrix;
      readonly serviceReference?: string;
      readonly serviceReferenceVariant?: string;
      /** Parsed device response, when the payload is MMC XML (simulator, DCC Boxed parse & correlate). */
      readonly mmc?: MmcResponse;
      /** The device's GBCS payload (base64), as received. */
      readonly gbcsPayload?: string;
      /** The GBCS payload decoded and checked: verdicts, and the typed result only when trusted. */
      readonly gbcs?: GbcsSummary;
      /** serviceT's answer to a critical request: the GBCS pre-command (base64) for the User to check and sign. */
      readonly preCommand?: { readonly gbcsVersion: string; readonly payload: string };
    }
  | { readonly kind: 'device-alert' }
  | { readonly kind: 'dcc-alert'; readonly alertCode: string };

export interface ResponseBuildOptions {
  readonly requestId?: string;
  readonly responseId?: string;
  readonly responseCode: string;
  readonly responseDateTime: Date;
  readonly serviceReference?: string;
  readonly serviceReferenceVariant?: string;
  /** Device response as MMC XML: carried base64-encoded where DUIS puts the GBCS payload. */
  readonly mmcXml?: string;
  /** Device response as GBCS bytes (what a DCC Boxed sends), base64-encoded into `sr:GBCSPayload`. */
  readonly gbcs?: Uint8Array;
  /** 12.1: the result plus the request's own body (UPRN or PartialAddress children, already built), echoed. */
  readonly wanMatrix?: WanMatrix & { readonly requestXml: string };
  /** serviceT: the GBCS pre-command of a critical request. */
  readonly preCommand?: { readonly gbcsVersion: string; readonly gbcs: Uint8Array };
}

function wanMatrixXml(m: WanMatrix & { readonly requestXml: string }): string {
  return wrap(
    'sr:DSPWANMatrix',
    wrap('sr:Request', m.requestXml) +
      el('sr:CSPRegion', m.cspRegion) +
      el('sr:CoverageAvailability', m.coverageAvailability) +
      el('sr:AnticipatedCoverageDate', m.anticipatedCoverageDate) +
      el('sr:WANTechnology', m.wanTechnology) +
      el('sr:ConnectivityLikelihood', m.connectivityLikelihood) +
      el('sr:AuxiliaryEquipmentRequired', m.auxiliaryEquipmentRequired) +
      el('sr:AdditionalInformation', m.additionalInformation),
  );
}

function gbcsPayloadBase64(options: ResponseBuildOptions): string | undefined {
  if (options.gbcs) return Buffer.from(options.gbcs).toString('base64');
  return options.mmcXml === undefined ? undefined : Buffer.from(options.mmcXml, 'utf8').toString('base64');
}

/** Writes a compact, unsigned `sr:Response` (sign it with `signDuisXml`). */
export function buildDuisResponse(options: ResponseBuildOptions): string {
  const header =
    el('sr:RequestID', options.requestId) +
    el('sr:ResponseID', options.responseId) +
    el('sr:ResponseCode', options.responseCode) +
    el('sr:ResponseDateTime', options.responseDateTime.toISOString());
  const message =
    el('sr:ServiceReference', options.serviceReference) +
    el('sr:ServiceReferenceVariant', options.serviceReferenceVariant) +
    (options.wanMatrix ? wanMatrixXml(options.wanMatrix) : '') +
    el('sr:GBCSPayload', gbcsPayloadBase64(options)) +
    (options.preCommand
      ? wrap(
          'sr:PreCommand',
          el('sr:GBCSVersion', options.preCommand.gbcsVersion) + el('sr:GBCSPayload', Buffer.from(options.preCommand.gbcs).toString('base64')),
        )
      : '');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<sr:Response xmlns:sr="${SR_NS}" schemaVersion="${DUIS_SCHEMA_VERSION}">` +
    wrap('sr:Header', header) +
    wrap('sr:Body', message ? wrap('sr:ResponseMessage', message) : '') +
    '</sr:Response>'
  );
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });
type Node = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

/** A DUIS enumeration value, or an error naming the element (the document is not DUIS then). */
function enumeration<T extends string>(values: readonly T[], value: string | undefined, element: string): T {
  if (value !== undefined && (values as readonly string[]).includes(value)) return value as T;
  throw new Error(`DSPWANMatrix ${element} "${value ?? ''}" is not one of ${values.join(', ')}`);
}

/**
 * Reads a response document (use the signed content `verifyDuisXml` returns). Throws when it is not one. A GBCS
 * payload is decoded and checked with `gbcsKeys` (without them its verdicts are "unknown" and its content withheld).
 */
export function parseDuisResponse(xml: string, gbcsKeys?: GbcsKeyStore): DuisResponse {
  const root = (parser.parse(xml) as Node).Response as Node | undefined;
  if (!root || typeof root !== 'object') throw new Error('not a DUIS Response document');
  const header = (root.Header ?? {}) as Node;
  const body = (root.Body ?? {}) as Node;
  const responseCode = text(header.ResponseCode);
  if (!responseCode) throw new Error('DUIS Response without ResponseCode');
  let parsedBody: DuisResponseBody;
  if (body.DCCAlertMessage) {
    parsedBody = { kind: 'dcc-alert', alertCode: text((body.DCCAlertMessage as Node).DCCAlertCode) ?? '' };
  } else if (body.DeviceAlertMessage) {
    parsedBody = { kind: 'device-alert' };
  } else {
    const message = (body.ResponseMessage ?? {}) as Node;
    const payload = text(message.GBCSPayload);
    let mmc: MmcResponse | undefined;
    let gbcsPayload: string | undefined;
    let gbcs: GbcsSummary | undefined;
    if (payload) {
      const decoded = Buffer.from(payload, 'base64').toString('utf8');
      if (decoded.trimStart().startsWith('<')) mmc = parseMmc(decoded);
      else {
        gbcsPayload = payload;
        gbcs = summariseGbcsPayload(payload, gbcsKeys);
      }
    }
    const pre = message.PreCommand as Node | undefined;
    const preCommand = pre && text(pre.GBCSPayload) ? { gbcsVersion: text(pre.GBCSVersion) ?? '', payload: text(pre.GBCSPayload)! } : undefined;
    const matrix = message.DSPWANMatrix as Node | undefined;
    const wanMatrix: WanMatrix | undefined = matrix
      ? {
          cspRegion: enumeration(CSP_REGIONS, text(matrix.CSPRegion), 'CSPRegion'),
          coverageAvailability: text(matrix.CoverageAvailability) === 'true',
          ...(text(matrix.AnticipatedCoverageDate) ? { anticipatedCoverageDate: text(matrix.AnticipatedCoverageDate)! } : {}),
          wanTechnology: text(matrix.WANTechnology) ?? '',
          connectivityLikelihood: enumeration(CONNECTIVITY_LIKELIHOODS, text(matrix.ConnectivityLikelihood), 'ConnectivityLikelihood'),
          ...(text(matrix.AuxiliaryEquipmentRequired) ? { auxiliaryEquipmentRequired: text(matrix.AuxiliaryEquipmentRequired)! } : {}),
          ...(text(matrix.AdditionalInformation) ? { additionalInformation: text(matrix.AdditionalInformation)! } : {}),
        }
      : undefined;
    parsedBody = {
      kind: 'response',
      ...(wanMatrix ? { wanMatrix } : {}),
      ...(text(message.ServiceReference) ? { serviceReference: text(message.ServiceReference)! } : {}),
      ...(text(message.ServiceReferenceVariant) ? { serviceReferenceVariant: text(message.ServiceReferenceVariant)! } : {}),
      ...(mmc ? { mmc } : {}),
      ...(gbcsPayload ? { gbcsPayload } : {}),
      ...(gbcs ? { gbcs } : {}),
      ...(preCommand ? { preCommand } : {}),
    };
  }
  return {
    ...(text(header.RequestID) ? { requestId: text(header.RequestID)! } : {}),
    ...(text(header.ResponseID) ? { responseId: text(header.ResponseID)! } : {}),
    responseCode,
    responseDateTime: text(header.ResponseDateTime) ?? '',
    body: parsedBody,
  };
}

/** Best-effort RequestID of a document whose signature failed: for correlation only, never trusted content. */
export function unverifiedRequestId(xml: string): string | undefined {
  const match = /<(?:\w+:)?RequestID>\s*([^<\s]+)\s*<\/(?:\w+:)?RequestID>/.exec(xml);
  return match?.[1];
}
