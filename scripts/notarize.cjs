/**
 * electron-builder afterSign hook: sends the signed macOS app to Apple's notary service and staples
 * the ticket, so Gatekeeper opens it without a warning. Credentials come only from the environment
 * (docs/deployment.md, "Signing"); with none set, a local build stays un-notarised and says so.
 *
 *   Apple ID:    APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID
 *   or API key:  APPLE_API_KEY (path to the .p8 file), APPLE_API_KEY_ID, APPLE_API_ISSUER
 */
const path = require('node:path')

const APPLE_ID_VARS = Object.freeze(['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'])
const API_KEY_VARS = Object.freeze(['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'])

/**
 * The notarytool credentials the environment provides: `null` when none are set, an error when a
 * set is half there (a release must not quietly ship un-notarised because one secret was missing).
 */
function notarizeCredentials(env) {
  const has = (name) => typeof env[name] === 'string' && env[name].trim() !== ''
  if (API_KEY_VARS.every(has)) {
    return {
      appleApiKey: env.APPLE_API_KEY,
      appleApiKeyId: env.APPLE_API_KEY_ID,
      appleApiIssuer: env.APPLE_API_ISSUER,
    }
  }
  if (APPLE_ID_VARS.every(has)) {
    return {
      appleId: env.APPLE_ID,
      appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD,
      teamId: env.APPLE_TEAM_ID,
    }
  }
  const partial = [...APPLE_ID_VARS, ...API_KEY_VARS].filter(has)
  if (partial.length > 0) {
    const missing = (vars) => vars.filter((v) => !has(v)).join(', ')
    throw new Error(
      `Notarisation is half configured (${partial.join(', ')} set). Missing: ${missing(APPLE_ID_VARS)} for an Apple ID, or ${missing(API_KEY_VARS)} for an API key.`,
    )
  }
  return null
}

async function afterSign(context) {
  if (context.electronPlatformName !== 'darwin') return
  const credentials = notarizeCredentials(process.env)
  if (!credentials) {
    console.log('[notarize] skipping notarisation: no Apple credentials in the environment')
    return
  }
  const appPath = path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`)
  // Loaded only when needed: it ships with electron-builder and is useless elsewhere.
  const { notarize } = require('@electron/notarize')
  console.log(`[notarize] notarising ${path.basename(appPath)} (this takes a few minutes)`)
  await notarize({ appPath, ...credentials })
  console.log('[notarize] notarised and stapled')
}

module.exports = { afterSign, default: afterSign, notarizeCredentials, APPLE_ID_VARS, API_KEY_VARS }
