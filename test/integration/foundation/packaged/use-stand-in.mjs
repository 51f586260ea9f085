/**
 * Loaded with `node --import` before the built main bundle: `electron` (imported by the bundle and
 * required by electron-updater) resolves to ./electron-stand-in.cjs. Nothing of ours is replaced.
 */
import Module, { register } from 'node:module'
import { fileURLToPath } from 'node:url'

const standIn = new URL('./electron-stand-in.cjs', import.meta.url)
register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: ${JSON.stringify(standIn.href)}, shortCircuit: true }
  return next(specifier, context)
}`),
)
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? fileURLToPath(standIn) : resolveFilename.call(this, request, ...rest)
}
