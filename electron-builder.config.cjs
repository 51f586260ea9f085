/**
 * Installers for Frontdesk (npm run dist:win, npm run dist:mac): an assisted NSIS installer on
 * Windows, a DMG plus a zip on macOS (the zip is what updates download). Signing and notarisation
 * run only when their environment variables are set (docs/deployment.md), so a local build works
 * unsigned and no secret lives in the repository; a release (tag) build refuses to run without them
 * (scripts/require-signing.sh in the release workflow). CommonJS because the project is an ES module.
 */
/** The certificate subject updates must be signed by; WINDOWS_PUBLISHER_NAME when it differs. */
const publisherName = (process.env.WINDOWS_PUBLISHER_NAME || '').trim() || 'Frontdesk'

/** Where installed copies look for updates; set FRONTDESK_UPDATE_URL when building a release. */
const updateUrl = process.env.FRONTDESK_UPDATE_URL || 'https://updates.frontdesk.invalid/'

/**
 * The SQLite module is rebuilt for Electron by scripts/native.mjs for the build machine's
 * architecture only, so each installer targets that architecture.
 */
const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64'

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'health.frontdesk.app',
  productName: 'Frontdesk',
  copyright: 'Copyright © Frontdesk',
  directories: { output: 'release', buildResources: 'build' },
  files: [
    'out/**',
    'package.json',
    '!**/*.map',
    '!{src,test,bench,scripts,docs,build,release}/**',
    // Listed as an optional dependency so installs work without it; the app must not carry it.
    '!**/node_modules/electron/**',
    // Sources and build leftovers of the native module; only build/Release/*.node is loaded.
    '!**/node_modules/better-sqlite3-multiple-ciphers/{deps,src}/**',
    '!**/node_modules/better-sqlite3-multiple-ciphers/build/Release/{obj,obj.target,.deps}/**',
    '!**/node_modules/better-sqlite3-multiple-ciphers/build/Release/test_extension.node',
  ],
  asar: true,
  // Native modules cannot be loaded from inside the asar archive.
  asarUnpack: ['**/node_modules/better-sqlite3-multiple-ciphers/**', '**/node_modules/@napi-rs/keyring*/**'],
  // scripts/native.mjs electron has already rebuilt the SQLite module; the keyring is N-API prebuilt.
  npmRebuild: false,
  afterPack: './scripts/after-pack.cjs',
  afterSign: './scripts/notarize.cjs',
  publish: [{ provider: 'generic', url: updateUrl, channel: 'latest' }],

  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/icon.png',
    signtoolOptions: {
      sign: './scripts/sign-windows.cjs',
      // One SHA-256 signature: the cloud service signs once per call.
      signingHashAlgorithms: ['sha256'],
      // Always set: electron-updater then refuses any Windows update not signed by this publisher
      // (without it, it skips the Authenticode check). The release workflow refuses unsigned tags.
      publisherName: [publisherName],
    },
  },
  nsis: {
    // Assisted: shows "for me" or "for everyone on this computer" (shared reception PCs).
    oneClick: false,
    perMachine: false,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Frontdesk',
    // Patient data and the outbox stay when the app is removed; IT deletes them deliberately.
    deleteAppDataOnUninstall: false,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },

  mac: {
    target: [
      { target: 'dmg', arch: [hostArch] },
      { target: 'zip', arch: [hostArch] },
    ],
    icon: 'build/icon.png',
    category: 'public.app-category.medical',
    minimumSystemVersion: '12.0',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    // scripts/notarize.cjs notarises (and only with credentials); the built-in step would do it twice.
    notarize: false,
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },
  dmg: {
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },
}
