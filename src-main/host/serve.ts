import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../app/app-services';
import { installCrashGuard } from '../app/crash-guard';
import { startWebHost } from './web-host';

/**
 * `npm run serve`: the app's services plus the web host. Prints exactly one line on stdout, the URL with its
 * token; logs go to stderr and the data directory's log files.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = process.env.HAN_RENDERER_DIR ?? join(root, 'out/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  process.stderr.write(`The renderer is not built (${rendererDir}/index.html is missing): run "npm run build" first.\n`);
  process.exit(2);
}

const premisesMode = (process.env.HAN_PREMISES ?? 'auto') as 'auto' | 'on' | 'off';
try {
  const services = await createAppServices({ owner: 'HAN Commissioner web host', premises: premisesMode, logToStderr: process.env.HAN_LOG_STDERR === '1' });
  installCrashGuard(services.log.child('process'));
  const port = process.env.HAN_PORT ? Number(process.env.HAN_PORT) : 0;
  const host = await startWebHost({ dispatch: services.dispatch, events: services.events, rendererDir, log: services.log.child('host'), port });
  process.stdout.write(`${host.url}\n`);
  const stop = async (): Promise<void> => {
    await host.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
} catch (error) {
  process.stderr.write(`HAN Commissioner web host could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
