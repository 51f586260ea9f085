/**
 * One clinician who is in two (or more) clinic systems, linked by the operator in settings so the
 * day book shows them as one lane. A link names each clinic system at most once.
 */
import { z } from 'zod'

const member = z
  .object({
    connectionId: z.string().trim().min(1).max(200),
    practitionerRef: z.string().trim().min(1).max(200),
  })
  .strict()

export const practitionerLinkSchema = z
  .object({ members: z.array(member).min(2, 'needs two clinic systems').max(4) })
  .strict()
  .refine((l) => new Set(l.members.map((m) => m.connectionId)).size === l.members.length, {
    error: 'names each clinic system once',
    path: ['members'],
  })

export type PractitionerLink = z.infer<typeof practitionerLinkSchema>
export type LinkMember = PractitionerLink['members'][number]

export const memberKey = (m: LinkMember) => `${m.connectionId}|${m.practitionerRef}`
