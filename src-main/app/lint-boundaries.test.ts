import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer boundaries are enforced by lint; these cases prove the rules fire (and do not fire) where intended. */
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint boundaries', () => {
  it('keeps src-shared free of Node, Electron, React and main code', async () => {
    expect(await restricted('src-shared/model/x.ts', "import { readFile } from 'node:fs';\nexport const a = readFile;\n")).toHaveLength(1);
    expect(await restricted('src-shared/model/x.ts', "import path from 'path';\nexport const a = path;\n")).toHaveLength(1);
    expect(await restricted('src-shared/model/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restricted('src-shared/model/x.ts', "import { useState } from 'react';\nexport const a = useState;\n")).toHaveLength(1);
    expect(await restricted('src-shared/model/x.ts', "import { x } from '../../src-main/app/x';\nexport const a = x;\n")).toHaveLength(1);
    expect(await restricted('src-shared/model/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toEqual([]);
  });

  it('keeps the renderer away from electron, Node and src-main', async () => {
    expect(await restricted('src-renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(1);
    expect(await restricted('src-renderer/x.ts', "import { createServer } from 'node:http';\nexport const a = createServer;\n")).toHaveLength(1);
    expect(await restricted('src-renderer/x.ts', "import { x } from '../src-main/app/x';\nexport const a = x;\n")).toHaveLength(1);
    expect(await restricted('src-renderer/x.ts', "import { invoke } from './ipc';\nexport const a = invoke;\n")).toEqual([]);
  });

  it('lets only the entry, shell and preload import electron', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await restricted('src-main/zigbee/x.ts', code)).toHaveLength(1);
    expect(await restricted('src-main/shell/x.ts', code)).toEqual([]);
    expect(await restricted('src-main/index.ts', code)).toEqual([]);
    expect(await restricted('src-main/preload/x.ts', code)).toEqual([]);
  });

  it('limits the preload to electron and src-shared', async () => {
    expect(await restricted('src-main/preload/x.ts', "import { x } from '../app/x';\nexport const a = x;\n")).toHaveLength(1);
    expect(await restricted('src-main/preload/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await restricted('src-main/preload/x.ts', "import { ok } from '../../src-shared/ipc/result';\nexport const a = ok;\n")).toEqual([]);
  });

  it('keeps the browser default locale out of the renderer: only i18n/format.ts formats dates and numbers', async () => {
    const syntax = async (filePath: string, code: string): Promise<number> =>
      (await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
    expect(await syntax('src-renderer/features/x.tsx', 'export const a = new Date().toLocaleString();\n')).toBe(1);
    expect(await syntax('src-renderer/features/x.tsx', 'export const a = (1.5).toLocaleString();\n')).toBe(1);
    expect(await syntax('src-renderer/features/x.tsx', "export const a = new Intl.DateTimeFormat('en-GB');\n")).toBe(1);
    expect(await syntax('src-renderer/i18n/format.ts', "export const a = new Intl.DateTimeFormat('en-GB');\n")).toBe(0);
    expect(await syntax('src-renderer/features/x.tsx', "export const a = 'b'.localeCompare('c');\n")).toBe(0);
  });

  it('forbids importing benchmarks from product code', async () => {
    expect(await restricted('src-main/app/x.ts', "import { run } from '../../bench/decode.bench';\nexport const a = run;\n")).toHaveLength(1);
  });
});
