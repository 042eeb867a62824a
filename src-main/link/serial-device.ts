import { statSync } from 'node:fs';
import { AppError } from '../../src-shared/ipc/result';

/**
 * A serial target must be a serial device: on Linux and macOS a character device (/dev/ttyUSB0, /dev/cu.*),
 * on Windows a COM port. Anything else (a regular file, a folder, /dev/null's siblings by name) is refused
 * before a driver opens it, so a typed path can never make a driver read or write an arbitrary file.
 */
export function assertSerialDevice(path: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') {
    if (/^(?:\\\\\.\\)?COM\d{1,3}$/i.test(path)) return;
    throw new AppError('NOT_A_SERIAL_DEVICE', `${path} is not a serial port: use a COM port such as COM3.`);
  }
  let isDevice = false;
  try {
    isDevice = statSync(path).isCharacterDevice();
  } catch {
    throw new AppError('NOT_A_SERIAL_DEVICE', `${path} does not exist: check the dongle is plugged in and pick it from the dongle list.`);
  }
  if (!isDevice || path === '/dev/null' || path === '/dev/zero' || path === '/dev/random' || path === '/dev/urandom' || path === '/dev/tty')
    throw new AppError('NOT_A_SERIAL_DEVICE', `${path} is not a serial device: pick the dongle from the dongle list.`);
}
