import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * `npm start`: runs the Electron app (electron-vite preview) where Electron's binary is installed; where it is
 * not (offline machines, CI, servers), says so and runs the same app through the web host instead.
 */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

const run = (command: string, args: string[]): void => {
  const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
};

if (electronBinary()) {
  run('npx', ['electron-vite', 'preview']);
} else {
  process.stderr.write(
    "Electron's binary is not installed here (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 skip it), so HAN Commissioner runs in your browser instead.\n" +
      "Open the URL below; it carries this run's access token. Stop with Ctrl+C.\n",
  );
  run('npm', ['run', '-s', 'serve']);
}
