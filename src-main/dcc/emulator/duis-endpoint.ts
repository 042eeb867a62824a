import type { X509Certificate } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { Logger } from '../../util/logger';
import { endpointFor, type DuisEndpoint } from '../request-builder';
import { parseRequestId } from '../request-id';
import { isServiceRequestVariant, serviceRequestDefinition } from '../service-requests';
import { verifyDuisXml } from '../xmldsig';
import { nodeText as text } from '../xml-text';
import { Refusal, type XmlNode } from './device-handlers';
import type { AcceptedRequest, DeviceRequestInput } from './device-requests';
import type { DuisResponder } from './duis-responder';
import { runNonDeviceRequest, type DccRegisters } from './non-device-requests';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

/** What the DUIS endpoint checks requests with and hands them on to. */
export interface DuisEndpointDeps {
  /** DCC Users the simulator knows, by EUI-64, with the certificate their requests must verify with. */
  readonly users: ReadonlyMap<string, X509Certificate>;
  readonly faults: { readonly errorCode?: string };
  readonly registers: DccRegisters;
  /** 8.1.1 and 8.7.1 (`criticalEndpoint` in critical-desk.ts). */
  readonly critical: (endpoint: DuisEndpoint, root: XmlNode, variant: '8.1.1' | '8.7.1', requestId: string) => { status: number; body: string };
  /** Device requests (CV 1–3): returns the signed I99. */
  readonly device: (input: DeviceRequestInput) => string;
  readonly responder: DuisResponder;
  readonly accepted: AcceptedRequest[];
  readonly log: Logger;
}

const REQUEST_ID = /^([0-9A-F]{2}-){7}[0-9A-F]{2}:([0-9A-F]{2}-){7}[0-9A-F]{2}:\d+$/i;

/**
 * serviceS / serviceT / serviceD as DCC checks them: the User's XML signature before anything else is believed,
 * then the service request, its CommandVariant and endpoint; then the request goes to the critical desk, the
 * DCC's own registers (non-device, I0) or the device table (I99). Every refusal is a signed reply with its
 * DUIS code, never an HTTP error. Returns the synchronous reply.
 */
export function createDuisEndpoint(deps: DuisEndpointDeps): (endpoint: DuisEndpoint, xml: string) => { status: number; body: string } {
  const { respond } = deps.responder;
  return (endpoint, xml) => {
    let requestId: string | undefined;
    try {
      const root = (parser.parse(xml) as XmlNode).Request as XmlNode | undefined;
      if (!root || typeof root !== 'object' || !root['@schemaVersion']) throw new Refusal('E4', 'not a DUIS Request');
      const header = (root.Header ?? {}) as XmlNode;
      requestId = text(header.RequestID);
      const parsedId = parseRequestId(requestId ?? '');
      const userCert = deps.users.get(parsedId.userId);
      if (!userCert) throw new Refusal('E2', `unknown DCC User ${parsedId.userId}`);
      // Signature first: nothing else in the document is believed before it verifies with the User's certificate.
      try {
        verifyDuisXml(xml, { certificates: [userCert] });
      } catch (error) {
        throw new Refusal('E4', `signature check failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const variant = text(header.ServiceReferenceVariant) ?? '';
      if (!isServiceRequestVariant(variant)) throw new Refusal('E11', `service request ${variant} is not simulated`);
      const definition = serviceRequestDefinition(variant);
      if (variant === '8.1.1' || variant === '8.7.1') return deps.critical(endpoint, root, variant, requestId!);
      const body = ((root.Body ?? {}) as XmlNode)[definition.bodyElement] as XmlNode | string | undefined;
      if (body === undefined || text(header.ServiceReference) !== definition.serviceReference)
        throw new Refusal('E11', `body or ServiceReference does not match ${variant}`);
      const cv = Number(text(header.CommandVariant));
      if (definition.nonDevice ? cv !== 8 : ![1, 2, 3].includes(cv)) throw new Refusal('E12', `CommandVariant ${cv} is not valid for ${variant}`);
      if (endpointFor(cv) !== endpoint) throw new Refusal('E13', `${variant} with CV ${cv} belongs on ${endpointFor(cv)}, not ${endpoint}`);
      if (deps.faults.errorCode) throw new Refusal(deps.faults.errorCode, 'fault injected');
      const bodyNode = typeof body === 'object' ? body : {};
      if (definition.nonDevice) {
        const result = runNonDeviceRequest({ variant, body: bodyNode, targetId: parsedId.targetId }, deps.registers);
        deps.accepted.push({ requestId: requestId!, variant, endpoint, code: 'I0' });
        return { status: 200, body: respond({ requestId: requestId!, code: 'I0', variant, ...result }) };
      }
      return { status: 200, body: deps.device({ endpoint, requestId: requestId!, id: parsedId, variant, body: bodyNode }) };
    } catch (error) {
      const refusal = error instanceof Refusal ? error : new Refusal('E4', error instanceof Error ? error.message : String(error));
      deps.log.info('request refused', { requestId, code: refusal.code, reason: refusal.message });
      const validId = requestId && REQUEST_ID.test(requestId) ? requestId : undefined;
      return { status: 200, body: respond({ ...(validId ? { requestId: validId } : {}), code: refusal.code }) };
    }
  };
}
