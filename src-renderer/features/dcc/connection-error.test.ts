import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../../src-shared/ipc/validate';
import { connectionFieldErrors, describeConnectionError } from './connection-error';

describe('DCC connection form errors', () => {
  it('names the fields that failed by their labels, with the reason, and never by their contract names', () => {
    const result = validateRequest('dcc:configure', {
      baseUrl: 'https://dcc-boxed.invalid:8079/api/v1',
      userId: '90B3D51F30010000',
      userCertificatePem: '',
      userPrivateKeyPem: 'not a key',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = describeConnectionError(result.error);
    expect(text).toBe(
      'Not saved. Check User XML-signing certificate (PEM): must be a PEM certificate; User XML-signing private key (PEM): must be a PEM private key.',
    );
    expect(text).not.toMatch(/userPrivateKeyPem|userCertificatePem/);
  });

  it('names a bad base URL and user id in the engineer’s words', () => {
    const result = validateRequest('dcc:configure', {
      baseUrl: 'ftp://x',
      userId: '12',
      userCertificatePem: '-----BEGIN CERTIFICATE-----',
      userPrivateKeyPem: '-----BEGIN PRIVATE KEY-----',
    });
    if (result.ok) throw new Error('expected a validation error');
    const text = describeConnectionError(result.error);
    expect(text).toContain('Base URL of the DUIS endpoints');
    expect(text).toContain('DCC User ID (EUI-64): must be an EUI-64');
    expect(text).not.toMatch(/\bbaseUrl\b|\buserId\b/);
  });

  it('names the User key-agreement key (for GBCS device responses) by its label', () => {
    const result = validateRequest('dcc:configure', {
      baseUrl: 'https://dcc-boxed.invalid:8079/api/v1',
      userId: '90B3D51F30010000',
      userCertificatePem: '-----BEGIN CERTIFICATE-----',
      userPrivateKeyPem: '-----BEGIN PRIVATE KEY-----',
      userKeyAgreementKeyPem: 'not a key',
    });
    if (result.ok) throw new Error('expected a validation error');
    const text = describeConnectionError(result.error);
    expect(text).toContain('User key-agreement private key (PEM, to check and decrypt device responses): must be a PEM private key');
    expect(text).not.toMatch(/userKeyAgreementKeyPem/);
  });

  it('puts each field’s own problem beside it, and a refusal from main beside the field it names', () => {
    const result = validateRequest('dcc:configure', {
      baseUrl: 'https://dcc-boxed.invalid:8079/api/v1',
      userId: '90B3D51F30010000',
      userCertificatePem: '-----BEGIN CERTIFICATE-----',
      userPrivateKeyPem: '-----BEGIN PRIVATE KEY-----',
      smkiUrl: 'ftp://smki',
      userDigitalSigningKeyPem: 'not a key',
    });
    if (result.ok) throw new Error('expected a validation error');
    const beside = connectionFieldErrors(result.error);
    expect(beside.userDigitalSigningKeyPem).toBe('must be a PEM private key');
    expect(Object.keys(beside).sort()).toEqual(['smkiUrl', 'userDigitalSigningKeyPem']);
    expect(describeConnectionError(result.error)).toContain('User GBCS digital-signing private key (PEM): must be a PEM private key');

    const refused = {
      code: 'DCC_CONFIG_INVALID',
      message: 'the DCC connection was not saved: the key is not a P-256 EC key',
      fields: ['userDigitalSigningKeyPem'],
    };
    expect(connectionFieldErrors(refused)).toEqual({ userDigitalSigningKeyPem: 'The key is not a P-256 EC key' });
    expect(connectionFieldErrors({ code: 'DCC_CONFIG_INVALID', message: 'the private key does not belong to the User certificate' })).toEqual({});
  });

  it('passes other errors through unchanged', () => {
    expect(describeConnectionError({ code: 'DCC_CONFIG_INVALID', message: 'the private key does not belong to the User certificate' })).toBe(
      'the private key does not belong to the User certificate',
    );
  });
});
