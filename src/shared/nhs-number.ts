/**
 * NHS numbers: 10 digits, the last a modulus-11 check digit over the first nine weighted 10..2.
 * A remainder giving check 10 means the number was never issued. 999 000 0000–999 999 9999 is
 * the range reserved for tests and demos, never issued to a real patient.
 */

/** Digits only: spaces, dashes and dots a receptionist may type are dropped. */
export const compactNhsNumber = (input: string) => input.replace(/[\s\-.]/g, '')

export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i)
  const check = 11 - (sum % 11)
  if (check === 11) return 0
  if (check === 10) return null
  return check
}

export function isValidNhsNumber(input: string): boolean {
  const digits = compactNhsNumber(input)
  if (!/^\d{10}$/.test(digits)) return false
  const check = nhsCheckDigit(digits.slice(0, 9))
  return check !== null && check === Number(digits[9])
}

/** `9434765919` → `943 476 5919`, the way NHS numbers are shown and read aloud. */
export function formatNhsNumber(input: string): string {
  const d = compactNhsNumber(input)
  return /^\d{10}$/.test(d) ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : input
}

export const isTestRangeNhsNumber = (input: string) => compactNhsNumber(input).startsWith('999')
