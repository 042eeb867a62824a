/**
 * TPL security modes (configuration field bits 8–12, EN 13757-7:2018 table 18 / OMS Vol.2 §9): every mode gets a
 * name an engineer can act on, so a telegram we cannot decrypt still says why.
 */
const NAMES: Record<number, string> = {
  0: 'not encrypted',
  1: 'manufacturer-specific security (mode 1)',
  2: 'DES-encrypted, IV zero (mode 2)',
  3: 'DES-encrypted (mode 3)',
  4: 'AES-128-CBC, IV zero (mode 4)',
  5: 'AES-128-CBC (mode 5)',
  7: 'AES-128-CBC with ephemeral keys and CMAC (mode 7)',
  8: 'AES-128-CTR with CMAC (mode 8)',
  9: 'AES-128-GCM (mode 9)',
  10: 'AES-128-CCM (mode 10)',
  13: 'TLS (mode 13)',
};

export function securityModeName(mode: number): string {
  if (NAMES[mode]) return NAMES[mode];
  if (mode >= 16) return `manufacturer-specific encryption (mode ${mode})`;
  return `reserved security mode ${mode}`;
}

/** Why a mode we do not implement is not decrypted: DES is withdrawn by OMS; manufacturer modes are not published. */
export function unsupportedModeReason(mode: number): string {
  const name = securityModeName(mode);
  if (mode === 2 || mode === 3) return `${name}: not supported (DES is withdrawn by OMS)`;
  if (mode === 1 || mode >= 16) return `${name}: not supported (the manufacturer does not publish it)`;
  return `${name}: not supported`;
}
