import { builtinModules } from 'node:module'
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const mainOnlyPackages = ['better-sqlite3-multiple-ciphers', '@napi-rs/keyring', 'undici', 'electron-updater']

/** Import boundaries between the processes: see docs/architecture.md. */
const restrict = (paths, patterns) => [
  'error',
  { paths: paths.map((p) => (typeof p === 'string' ? { name: p } : p)), patterns },
]
/** A path into one of these top-level folders, relative ('../../main') or not ('src/main/x'). */
const into = (...folders) => `(^|/)(${folders.join('|')})(/|$)`
/** Electron and its process-specific entry points ('electron/main', 'electron/renderer', …). */
const ELECTRON = '^electron(/|$)'
/** The same boundary for `import()`, which no-restricted-imports does not see. */
const noDynamicImport = (regex, message) => ({
  selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\/')}/]`,
  message,
})
/**
 * SQL lives in repositories: files in src/main/store/ or named *-repo.ts (docs/architecture.md).
 * Everything else in the main process calls their methods, never `prepare(` or SQL `exec(`.
 */
const REPOSITORIES = ['src/main/store/**', 'src/main/**/*-repo.ts']
const SQL_IN_REPOSITORIES =
  'SQL lives in repositories (src/main/store/ or *-repo.ts): call a repository method.'
const noSqlOutsideRepositories = [
  { selector: "CallExpression[callee.property.name='prepare']", message: SQL_IN_REPOSITORIES },
  {
    selector: "CallExpression[callee.property.name='exec'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
    message: SQL_IN_REPOSITORIES,
  },
  {
    selector: "CallExpression[callee.property.name='exec'][callee.object.name='db']",
    message: SQL_IN_REPOSITORIES,
  },
  {
    selector: "CallExpression[callee.property.name='exec'][callee.object.property.name='db']",
    message: SQL_IN_REPOSITORIES,
  },
]
const onlyLiteralImports = {
  selector: "ImportExpression:not([source.type='Literal'])",
  message: 'import() takes a literal path, so the boundary rules can read it.',
}

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
    // Type-aware: a promise nobody awaits or catches fails silently (an unhandled rejection on
    // quit, a write whose error is lost), and an async callback where a plain one is expected
    // is never awaited by its caller.
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.schemas.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
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
        [...nodeBuiltins, ...mainOnlyPackages],
        [
          { regex: ELECTRON, message: 'The renderer reaches Electron only through the preload.' },
          {
            regex: into('main', 'preload', 'sandbox'),
            message: 'The renderer talks to the main process only through the contract.',
          },
        ],
      ),
      'no-restricted-syntax': [
        'error',
        noDynamicImport(ELECTRON, 'The renderer reaches Electron only through the preload.'),
        noDynamicImport(
          into('main', 'preload', 'sandbox'),
          'The renderer talks to the main process only through the contract.',
        ),
        onlyLiteralImports,
        {
          // A store hook without a selector subscribes to the whole store: a toast, or the search
          // opening, would render the day book again.
          selector: `CallExpression[callee.name=/^use(Ui|AppStore|Desk|Patients|Refusals)$/][arguments.length=0]`,
          message: 'Pick what the component uses: useStore((s) => s.x), or useShallow for several.',
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      // Shared code runs in every process: no Node, no Electron, no DOM-only modules.
      'no-restricted-imports': restrict(
        ['react', 'react-dom', ...nodeBuiltins, ...mainOnlyPackages],
        [
          { regex: ELECTRON, message: 'Shared code runs in every process: no Electron.' },
          {
            regex: into('main', 'renderer', 'preload', 'sandbox'),
            message: 'Shared code imports only shared code.',
          },
        ],
      ),
      'no-restricted-syntax': [
        'error',
        noDynamicImport(ELECTRON, 'Shared code runs in every process: no Electron.'),
        noDynamicImport(
          into('main', 'renderer', 'preload', 'sandbox'),
          'Shared code imports only shared code.',
        ),
        onlyLiteralImports,
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      // The preload runs with Electron's privileges beside untrusted pages: it exposes the
      // contract through contextBridge/ipcRenderer and nothing else.
      'no-restricted-imports': restrict(
        [
          {
            name: 'electron',
            allowImportNames: ['contextBridge', 'ipcRenderer', 'IpcRendererEvent'],
            message: "The preload uses only Electron's contextBridge and ipcRenderer.",
          },
        ],
        [
          {
            regex: '^(?!electron$|(\\.\\./)+shared(/|$))',
            message: "The preload imports only Electron's contextBridge/ipcRenderer and src/shared.",
          },
        ],
      ),
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'The preload loads nothing at run time.' },
        {
          selector: "CallExpression[callee.name='require']",
          message: 'The preload loads nothing at run time.',
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/updates/electron-updater.ts'],
    rules: {
      // Only the thin shell touches Electron, so everything else runs (and is tested) in plain Node.
      'no-restricted-imports': restrict(
        [],
        [
          { regex: ELECTRON, message: 'Only the thin shell (src/main/index.ts) touches Electron.' },
          { regex: into('renderer', 'preload'), message: 'Main code does not import the renderer.' },
        ],
      ),
      'no-restricted-syntax': [
        'error',
        noDynamicImport(ELECTRON, 'Only the thin shell (src/main/index.ts) touches Electron.'),
        noDynamicImport(into('renderer', 'preload'), 'Main code does not import the renderer.'),
        onlyLiteralImports,
        ...noSqlOutsideRepositories,
      ],
    },
  },
  {
    // The shell may use Electron, but not SQL.
    files: ['src/main/index.ts', 'src/main/updates/electron-updater.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        noDynamicImport(into('renderer', 'preload'), 'Main code does not import the renderer.'),
        onlyLiteralImports,
        ...noSqlOutsideRepositories,
      ],
    },
  },
  {
    files: REPOSITORIES,
    rules: {
      'no-restricted-syntax': [
        'error',
        noDynamicImport(ELECTRON, 'Only the thin shell (src/main/index.ts) touches Electron.'),
        noDynamicImport(into('renderer', 'preload'), 'Main code does not import the renderer.'),
        onlyLiteralImports,
      ],
    },
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: {
      // The vendor simulators stand in for the outside world: they share nothing with the app but src/shared.
      'no-restricted-imports': restrict(
        [],
        [
          { regex: ELECTRON, message: 'Simulators stand alone.' },
          { regex: into('main', 'renderer', 'preload'), message: 'Simulators stand alone.' },
        ],
      ),
      'no-restricted-syntax': [
        'error',
        noDynamicImport(ELECTRON, 'Simulators stand alone.'),
        noDynamicImport(into('main', 'renderer', 'preload'), 'Simulators stand alone.'),
      ],
    },
  },
)
