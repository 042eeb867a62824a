import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DATA_DIR_ENV = 'HAN_DATA_DIR';

/**
 * The one data directory the app, web host and CLI share. HAN_DATA_DIR overrides it (tests and parallel
 * instances use their own); otherwise the OS convention for per-user application data.
 */
export function resolveDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env[DATA_DIR_ENV]?.trim();
  if (override) return resolve(override);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'HAN Commissioner');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'HAN Commissioner');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'han-commissioner');
}
