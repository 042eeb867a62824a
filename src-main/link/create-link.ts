import type { DeviceLink, LinkTarget } from './device-link';
import { SerialLink } from './serial-link';
import { TcpLink } from './tcp-link';

export function createLink(target: LinkTarget): DeviceLink {
  return target.kind === 'tcp' ? new TcpLink(target.host, target.port) : new SerialLink(target);
}

/** Parses "tcp://host:port" or "host:port" (network adapters are real products) into a TCP target. */
export function parseTcpTarget(input: string): { kind: 'tcp'; host: string; port: number } | undefined {
  const match = /^(?:tcp:\/\/)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(input.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { kind: 'tcp', host: match[1]!.replace(/^\[|\]$/g, ''), port };
}
