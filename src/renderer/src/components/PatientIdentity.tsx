import { ageOn, formatBirthDate, formatNhsNumber, todayIn } from '../lib/format'

export interface IdentityProps {
  givenName: string
  familyName: string
  birthDate: string
  nhsNumber?: string | undefined
  /** The vendor's id, shown when there is no NHS number. */
  vendorRef?: string | undefined
  vendorLabel?: string | undefined
  timeZone?: string
  compact?: boolean
}

/**
 * Name, date of birth with age, and an identifier, always together: the front desk must never act
 * on the wrong patient because two people share a name.
 */
export function PatientIdentity(p: IdentityProps) {
  const age = ageOn(p.birthDate, todayIn(p.timeZone ?? 'Europe/London'))
  const name = `${p.familyName.toUpperCase()}, ${p.givenName}`
  const id = p.nhsNumber
    ? `NHS ${formatNhsNumber(p.nhsNumber)}`
    : p.vendorRef
      ? `${p.vendorLabel ?? 'ID'} ${p.vendorRef}`
      : 'No identifier yet'
  return (
    <span className={`identity${p.compact ? ' identity-compact' : ''}`}>
      <strong className="identity-name">{name.trim() === ',' ? 'Name not given' : name}</strong>
      <span className="identity-dob">
        Born {formatBirthDate(p.birthDate)}
        {age !== null ? ` (${age})` : ''}
      </span>
      <span className="identity-id">{id}</span>
    </span>
  )
}
