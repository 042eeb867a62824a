/** DUIS namespaces and the schema version the bundled oracle (DUIS Schema V5.1) validates. */
export const SR_NS = 'http://www.dccinterface.co.uk/ServiceUserGateway';
export const RA_NS = 'http://www.dccinterface.co.uk/ResponseAndAlert';
export const DUIS_SCHEMA_VERSION = '5.1';

/** CommandVariant meanings (DUIS CommandVariant type; numbering as in SmartDCCInnovation/duis-parser). */
export const COMMAND_VARIANT_MEANINGS: Readonly<Record<number, string>> = {
  1: 'Non-critical, send over the SM WAN',
  2: 'Non-critical, return to the User for local delivery',
  3: 'Non-critical, send over the SM WAN and return for local delivery',
  4: 'Critical: Transform returns a pre-command for the User to sign',
  5: 'Signed pre-command, send over the SM WAN',
  6: 'Signed pre-command, return for local delivery',
  7: 'Signed pre-command, send over the SM WAN and return for local delivery',
  8: 'Non-device service (answered by the DCC itself)',
};

/** Response codes an engineer will see, with what they mean on site. */
const RESPONSE_CODE_MEANINGS: Readonly<Record<string, string>> = {
  I0: 'Success',
  I99: 'Acknowledged: passed DCC access control, the device response follows asynchronously',
  E1: 'Authorisation failure at the DCC: the User ID and role are not a valid SEC party and role',
  E2: 'Authorisation failure at the DCC: this User role may not send this service request',
  E3: 'Authorisation failure at the DCC: the User status does not allow this service request',
  E4: 'Authorisation failure at the DCC: this User role is not authorised for the device at this time',
  E5: 'The device SMI status does not allow this request',
  E11: 'The service request is not valid for this device type',
  E12: 'Invalid CommandVariant for this service request',
  E13: 'Sent to the wrong endpoint for this request type',
  E17: 'This request or signed pre-command is not available for local delivery for this User role and device status',
  E19: 'The device does not exist in the Smart Metering Inventory',
  E20: 'The DCC cannot communicate with the device',
  E21: 'No response from the device',
  E30: 'A future-dated command timed out at the DCC',
};

/** A response code with its meaning; unknown codes say what class they belong to. */
export function responseCodeMeaning(code: string): string {
  const known = RESPONSE_CODE_MEANINGS[code];
  if (known) return known;
  if (/^I\d+$/.test(code)) return 'Informational';
  if (/^E\d+$/.test(code)) return 'Error reported by the DCC (see DUIS response codes)';
  if (/^W\d+$/.test(code)) return 'Warning reported by the DCC';
  return 'Unknown response code';
}

export function isSuccessCode(code: string): boolean {
  return code === 'I0';
}

export function isAcknowledgedCode(code: string): boolean {
  return code === 'I99';
}
