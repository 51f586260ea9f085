/**
 * electron-builder Windows sign hook (win.signtoolOptions.sign): signs each file through DigiCert
 * KeyLocker, a cloud signing service whose key never leaves DigiCert's HSM, with its `smctl` tool.
 * Credentials come only from the environment (docs/deployment.md, "Signing"); with none set the
 * build stays unsigned and says so once.
 *
 *   SM_HOST, SM_API_KEY, SM_CLIENT_CERT_FILE, SM_CLIENT_CERT_PASSWORD  read by smctl itself
 *   SM_KEYPAIR_ALIAS                                                   the key to sign with
 *   SMCTL (optional)                                                   path to smctl.exe if not on PATH
 */
const { spawnSync } = require('node:child_process')
const path = require('node:path')

const SIGNING_VARS = Object.freeze([
  'SM_HOST',
  'SM_API_KEY',
  'SM_CLIENT_CERT_FILE',
  'SM_CLIENT_CERT_PASSWORD',
  'SM_KEYPAIR_ALIAS',
])

/** `ready` when every variable is set, `off` when none is, `partial` (an error at sign time) otherwise. */
function windowsSigning(env) {
  const has = (name) => typeof env[name] === 'string' && env[name].trim() !== ''
  const missing = SIGNING_VARS.filter((v) => !has(v))
  if (missing.length === 0) return { state: 'ready', missing }
  return { state: missing.length === SIGNING_VARS.length ? 'off' : 'partial', missing }
}

/** The smctl command line for one file; secrets stay in the environment, never in arguments. */
function signCommand(file, env) {
  return {
    command: env.SMCTL || 'smctl',
    args: ['sign', '--keypair-alias', env.SM_KEYPAIR_ALIAS, '--input', file],
  }
}

let saidUnsigned = false

async function sign(configuration) {
  const file = configuration.path
  const signing = windowsSigning(process.env)
  if (signing.state === 'off') {
    if (!saidUnsigned)
      console.log('[sign-windows] no signing credentials in the environment: building unsigned')
    saidUnsigned = true
    return
  }
  if (signing.state === 'partial') {
    throw new Error(`Windows signing is half configured. Missing: ${signing.missing.join(', ')}`)
  }
  const { command, args } = signCommand(file, process.env)
  const run = spawnSync(command, args, { encoding: 'utf8', windowsHide: true })
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`
  // smctl can exit 0 after a failed signature, so its output is checked too.
  if (run.error || run.status !== 0 || /\bFAILED\b/i.test(output)) {
    throw new Error(`Signing ${path.basename(file)} failed: ${run.error?.message ?? output.trim()}`)
  }
  console.log(`[sign-windows] signed ${path.basename(file)}`)
}

module.exports = { sign, default: sign, windowsSigning, signCommand, SIGNING_VARS }
