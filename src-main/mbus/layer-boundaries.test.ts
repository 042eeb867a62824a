import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The M-Bus layers' import direction (wired → common ← wireless) is a lint rule; these cases prove it fires. */
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('M-Bus layer boundaries', () => {
  it('keeps the application layer free of wired, wireless and service code', async () => {
    expect(await restricted('src-main/mbus/common/x.ts', "import { a } from '../wired/wired-frame';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src-main/mbus/common/x.ts', "import { a } from '../wireless/link-blocks';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src-main/mbus/common/x.ts', "import { a } from '../mbus-service';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src-main/mbus/common/x.ts', "import { a } from './data-records';\nexport const b = a;\n")).toEqual([]);
  });

  it('lets wired and wireless use common but not each other', async () => {
    expect(await restricted('src-main/mbus/wired/x.ts', "import { a } from '../common/tpl';\nexport const b = a;\n")).toEqual([]);
    expect(await restricted('src-main/mbus/wired/emulator/x.ts', "import { a } from '../../wireless/receiver';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src-main/mbus/wireless/x.ts', "import { a } from '../common/tpl';\nexport const b = a;\n")).toEqual([]);
    expect(await restricted('src-main/mbus/wireless/sticks/x.ts', "import { a } from '../../wired/master';\nexport const b = a;\n")).toHaveLength(1);
  });

  it('still refuses electron in the M-Bus layers', async () => {
    expect(await restricted('src-main/mbus/wired/x.ts', "import { app } from 'electron';\nexport const b = app;\n")).toHaveLength(1);
  });
});
