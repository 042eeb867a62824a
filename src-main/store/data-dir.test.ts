import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  it('uses HAN_DATA_DIR when set', () => {
    expect(resolveDataDir({ HAN_DATA_DIR: 'some/dir' }, 'linux', '/home/sam')).toBe(resolve('some/dir'));
  });
  it('follows each OS convention otherwise', () => {
    expect(resolveDataDir({}, 'linux', '/home/sam')).toBe(join('/home/sam', '.local', 'share', 'han-commissioner'));
    expect(resolveDataDir({ XDG_DATA_HOME: '/data' }, 'linux', '/home/sam')).toBe(join('/data', 'han-commissioner'));
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\sam\\AppData\\Roaming' }, 'win32', 'C:\\Users\\sam')).toBe(
      join('C:\\Users\\sam\\AppData\\Roaming', 'HAN Commissioner'),
    );
    expect(resolveDataDir({}, 'darwin', '/Users/sam')).toBe(join('/Users/sam', 'Library', 'Application Support', 'HAN Commissioner'));
  });
  it('ignores an empty HAN_DATA_DIR', () => {
    expect(resolveDataDir({ HAN_DATA_DIR: '  ' }, 'linux', '/home/sam')).toBe(join('/home/sam', '.local', 'share', 'han-commissioner'));
  });
});
