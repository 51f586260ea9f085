import { builtinModules } from 'node:module'
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const mainOnlyPackages = ['better-sqlite3-multiple-ciphers', '@napi-rs/keyring', 'undici', 'electron-updater']

/** Import boundaries between the processes: see docs/architecture.md. */
const restrict = (paths, patterns) => ['error', { paths: paths.map((name) => ({ name })), patterns }]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer is untrusted: it reaches the main process only through the contract.
      'no-restricted-imports': restrict(
        ['electron', ...nodeBuiltins, ...mainOnlyPackages],
        [
          {
            group: ['**/main/**', '**/preload/**', '**/sandbox/**'],
            message: 'The renderer talks to the main process only through the contract.',
          },
        ],
      ),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      // Shared code runs in every process: no Node, no Electron, no DOM-only modules.
      'no-restricted-imports': restrict(
        ['electron', 'react', 'react-dom', ...nodeBuiltins, ...mainOnlyPackages],
        [
          {
            group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/sandbox/**'],
            message: 'Shared code imports only shared code.',
          },
        ],
      ),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/updates/electron-updater.ts'],
    rules: {
      // Only the thin shell touches Electron, so everything else runs (and is tested) in plain Node.
      'no-restricted-imports': restrict(
        ['electron'],
        [{ group: ['**/renderer/**', '**/preload/**'], message: 'Main code does not import the renderer.' }],
      ),
    },
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: {
      // The vendor simulators stand in for the outside world: they share nothing with the app but src/shared.
      'no-restricted-imports': restrict(
        ['electron'],
        [{ group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'Simulators stand alone.' }],
      ),
    },
  },
)
