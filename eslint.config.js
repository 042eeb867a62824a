// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Node built-ins in both spellings ("fs" and "node:fs"). */
const nodeBuiltins = [...builtinModules.flatMap((name) => [name, `${name}/*`]), 'node:*'];

const pattern = (group, message) => ({ group, message });

/**
 * Boundary rules (style-anchors §6): src-shared is pure TS; the renderer reaches main only through the contract;
 * inside src-main only the Electron entry, shell/ and preload/ import electron; nothing imports bench/.
 */
const noBench = pattern(['**/bench/**', '**/bench'], 'Production code must not import benchmarks.');
const noElectron = pattern(['electron', 'electron/*'], 'Only src-main/index.ts, src-main/shell/ and src-main/preload/ may import electron.');

/** The browser's default locale must never format what the engineer reads (issue 8): the renderer goes through format.ts. */
const browserLocaleFormatting = [
  {
    selector: 'CallExpression[callee.property.name=/^toLocale(Date|Time)?String$/]',
    message: "Use formatDateTime/formatTime/formatNumber from src-renderer/i18n/format.ts: the engineer's locale, never the browser's default.",
  },
  {
    selector: "NewExpression[callee.object.name='Intl']",
    message: "Use src-renderer/i18n/format.ts: every Intl formatter takes the engineer's locale from there.",
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((n) => !n.includes('*')).map((name) => ({ name, message: 'src-shared is pure TypeScript: no Node built-ins.' })),
          patterns: [
            pattern(['node:*'], 'src-shared is pure TypeScript: no Node built-ins.'),
            pattern(
              ['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'zustand', 'serialport', 'node-hid', 'zigbee-herdsman', 'ws'],
              'src-shared must not depend on a runtime (Electron, React, Node drivers).',
            ),
            pattern(['**/src-main/**', '**/src-renderer/**', '**/src-main', '**/src-renderer'], 'src-shared must not import main or renderer code.'),
            noBench,
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // Dates, times and numbers follow the engineer's locale: only src-renderer/i18n/format.ts formats them.
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }, ...browserLocaleFormatting],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((n) => !n.includes('*')).map((name) => ({ name, message: 'The renderer runs in a sandbox: no Node built-ins.' })),
          patterns: [
            pattern(['node:*'], 'The renderer runs in a sandbox: no Node built-ins.'),
            pattern(
              ['electron', 'electron/*', 'serialport', 'node-hid', 'zigbee-herdsman', 'ws'],
              'The renderer reaches devices only through main, via src-renderer/ipc.ts.',
            ),
            pattern(['**/src-main/**', '**/src-main'], 'The renderer must not import main-process code; use the IPC contract.'),
            noBench,
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/index.ts', 'src-main/shell/**', 'src-main/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron, pattern(['**/src-renderer/**'], 'Main must not import renderer code.'), noBench] }],
    },
  },
  {
    // M-Bus layers (style-anchors §6): one EN 13757-3 application layer in mbus/common, used by wired/ and
    // wireless/; imports run wired → common ← wireless, and common knows neither of them nor the service above.
    files: ['src-main/mbus/common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            noBench,
            {
              regex: '^\\.\\./(?!\\.\\./)|(^|/)(wired|wireless)(/|$)',
              message: 'mbus/common is the shared application layer: it imports neither wired/, wireless/ nor the M-Bus service.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/mbus/wired/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noElectron, noBench, { regex: '(^|/)wireless(/|$)', message: 'Wired M-Bus imports mbus/common, never mbus/wireless.' }] },
      ],
    },
  },
  {
    files: ['src-main/mbus/wireless/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noElectron, noBench, { regex: '(^|/)wired(/|$)', message: 'Wireless M-Bus imports mbus/common, never mbus/wired.' }] },
      ],
    },
  },
  {
    files: ['src-main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((n) => !n.includes('*')).map((name) => ({ name, message: 'The sandboxed preload can only use electron and src-shared.' })),
          patterns: [
            pattern(['node:*'], 'The sandboxed preload can only use electron and src-shared.'),
            { regex: '^\\.\\./(?!\\.\\./src-shared/)', message: 'The preload imports only electron and src-shared.' },
            noBench,
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/index.ts', 'src-main/shell/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [pattern(['**/src-renderer/**'], 'Main must not import renderer code.'), noBench] }] },
  },
  {
    files: ['src-renderer/i18n/format.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }] },
  },
  {
    // Config files are loaded by tools that expect a default export.
    files: ['*.config.ts', '*.config.js', 'electron.vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
