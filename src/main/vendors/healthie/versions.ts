/**
 * Healthie's API versions as its versioning page describes them (healthie.md §4.1): every request
 * names a published release date in `Healthie-GraphQL-API-Version`; a version being retired answers
 * with `extensions.warnings[] { code: "API_VERSION_SUNSET_WARNING", requested_version, sunset_date,
 * latest_version }`, and a retired one with `UNSUPPORTED_API_VERSION` (`requested_version`,
 * `minimum_supported_version`, `latest_version`). From 2027-01-31 versions before 2026-07-01 are
 * refused, so the person looking after Frontdesk has to hear of a sunset well before it happens.
 */
import { z } from 'zod'
import { VendorError } from '../errors'
import { GraphqlRequestError } from '../http/graphql'

const warning = z.looseObject({
  code: z.string(),
  requested_version: z.string().optional(),
  sunset_date: z.string().optional(),
  latest_version: z.string().optional(),
})

/** What to tell a person about a sunset warning among an answer's warnings, or null. */
export function sunsetNotice(warnings: unknown[], version: string): string | null {
  for (const w of warnings) {
    const parsed = warning.safeParse(w)
    if (!parsed.success || parsed.data.code !== 'API_VERSION_SUNSET_WARNING') continue
    const {
      requested_version: requested = version,
      sunset_date: sunset,
      latest_version: latest,
    } = parsed.data
    return (
      `Healthie will stop answering API version ${requested}${sunset ? ` on ${sunset}` : ' soon'}` +
      `${latest ? ` (its newest is ${latest})` : ''}: Frontdesk needs updating before then.`
    )
  }
  return null
}

const unsupported = z.looseObject({
  requested_version: z.string().optional(),
  minimum_supported_version: z.string().optional(),
  latest_version: z.string().optional(),
})

/** A refused version (retired, or never published), said plainly: nothing reached Healthie's records. Else null. */
export function unsupportedVersion(err: unknown, version: string): VendorError | null {
  if (!(err instanceof GraphqlRequestError) || err.vendorCode !== 'UNSUPPORTED_API_VERSION') return null
  const ext = unsupported.safeParse(err.errors[0]?.extensions ?? {})
  const min = ext.success ? ext.data.minimum_supported_version : undefined
  return new VendorError(
    'protocol',
    `Healthie does not answer API version ${version}${min ? ` (the oldest it answers is ${min})` : ''}: ` +
      'Frontdesk needs updating, or an administrator sets a newer API version on the connection. Nothing was changed in Healthie.',
    {
      vendor: 'healthie',
      ...(err.operation ? { operation: err.operation } : {}),
      ...(err.vendorMessage ? { vendorMessage: err.vendorMessage } : {}),
      vendorCode: 'UNSUPPORTED_API_VERSION',
    },
  )
}
