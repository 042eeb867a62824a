import { testDccCredentials, testUserCredentials } from './credentials';

/** A DCC Boxed connection as the form sends it, with the public test credentials; the listener as given. */
export function testConnectionInput(listener: { listenerHost?: string; listenerPort?: number } = {}): Record<string, unknown> {
  const user = testUserCredentials();
  return {
    baseUrl: 'https://127.0.0.1:9/api/v1',
    userId: '90-B3-D5-1F-30-01-00-00',
    userCertificatePem: user.certificate.toString(),
    userPrivateKeyPem: user.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    dccCertificatePem: testDccCredentials().certificate.toString(),
    ...listener,
  };
}
