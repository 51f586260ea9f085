/**
 * electron-builder afterPack hook: flips Electron's fuses in the packaged binary. It runs after the
 * app is copied and before it is signed, so the signature covers the flipped fuses. Each fuse
 * closes a way to make the signed Frontdesk binary run code that is not Frontdesk.
 */
const path = require('node:path')

/** Wanted fuse states, by their @electron/fuses FuseV1Options names. */
const FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the app into a plain Node interpreter with our signature.
  RunAsNode: false,
  // Encrypts the cookie store with an OS-held key.
  EnableCookieEncryption: true,
  // NODE_OPTIONS could preload any script into the main process.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect would open a debugger into the process that holds the database key.
  EnableNodeCliInspectArguments: false,
  // Refuses an app.asar that does not match the hashes electron-builder embeds.
  EnableEmbeddedAsarIntegrityValidation: true,
  // Loads the app only from app.asar, so the integrity check cannot be sidestepped with a loose folder.
  OnlyLoadAppFromAsar: true,
  // The UI is served from app://, never file://, so file:// needs no extra privileges.
  GrantFileProtocolExtraPrivileges: false,
  // No separate V8 snapshot for the main process is shipped; one on disk must not be loaded.
  LoadBrowserProcessSpecificV8Snapshot: false,
})

/** Electron checks asar integrity only on these platforms; elsewhere the fuse is left alone. */
const ASAR_INTEGRITY_PLATFORMS = Object.freeze(['darwin', 'mas', 'win32'])

/** The fuse set for one platform. */
function fusesFor(platform) {
  const fuses = { ...FUSES }
  if (!ASAR_INTEGRITY_PLATFORMS.includes(platform)) delete fuses.EnableEmbeddedAsarIntegrityValidation
  return fuses
}

/** Where the Electron executable sits inside the packed app, per platform. */
function executablePath({ appOutDir, electronPlatformName, productFilename, executableName }) {
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${productFilename}.app`)
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${productFilename}.exe`)
  return path.join(appOutDir, executableName || productFilename)
}

async function afterPack(context) {
  // Loaded here, not at the top, so tests can read FUSES without electron-builder's context.
  const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses')
  const { Arch } = require('builder-util')
  const platform = context.electronPlatformName
  const arch = Arch[context.arch]
  const file = executablePath({
    appOutDir: context.appOutDir,
    electronPlatformName: platform,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName,
  })
  const fuses = fusesFor(platform)
  const config = {
    version: FuseVersion.V1,
    // Apple silicon refuses to run a binary whose ad-hoc signature no longer matches; unsigned
    // builds need it redone (signed builds are signed properly right after this hook).
    resetAdHocDarwinSignature: platform === 'darwin' && (arch === 'arm64' || arch === 'universal'),
  }
  for (const [name, on] of Object.entries(fuses)) {
    if (FuseV1Options[name] === undefined) throw new Error(`@electron/fuses does not know the fuse ${name}`)
    config[FuseV1Options[name]] = on
  }
  await flipFuses(file, config)
  console.log(
    `[after-pack] fuses set on ${path.basename(file)} (${platform} ${arch}): ${JSON.stringify(fuses)}`,
  )
}

module.exports = { afterPack, default: afterPack, FUSES, ASAR_INTEGRITY_PLATFORMS, fusesFor, executablePath }
