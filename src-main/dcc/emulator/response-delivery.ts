import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../../util/logger';

/**
 * Delivers a signed asynchronous response to the User's receive-response endpoint as the DCC does (DUIS:
 * delivery is retried at least once within 300 s; what still cannot be delivered waits on a failed queue and is
 * released when the User's connection is restored). A User whose endpoint is down for a moment (the app
 * restarting after a crash) therefore still gets the response to a request the DCC had acknowledged.
 * Only an endpoint that cannot be reached is retried: any HTTP answer, a refusal included, is a delivery.
 */
export async function deliverResponse(input: {
  readonly url: string;
  readonly ca?: string;
  readonly xml: string;
  readonly requestId: string;
  readonly log: Logger;
  /** Aborted when the simulator stops: the failed queue goes with it. */
  readonly signal: AbortSignal;
}): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; !input.signal.aborted; attempt++) {
    const error = await postOnce(input.url, input.ca, input.xml);
    if (!error) return;
    // Quick retries for a restart's worth of time, then the failed queue's slower pace.
    const delayMs = Date.now() - started < 300_000 ? Math.min(2000, 250 * 2 ** attempt) : 10_000;
    input.log.warn('posting the device response failed; will retry', { requestId: input.requestId, error, retryInMs: delayMs });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delayMs);
      input.signal.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        input.signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}

/** One POST; the reason it could not be delivered, or undefined once the endpoint answered. */
function postOnce(receiveUrl: string, ca: string | undefined, xml: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const url = new URL(receiveUrl);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, ...(ca ? { ca } : {}), agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', (error) => resolve(error.message));
    req.end(xml);
  });
}
