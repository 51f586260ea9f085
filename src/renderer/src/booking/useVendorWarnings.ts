import { useEffect, useState } from 'react'
import type { SlotView } from '../../../shared/contract'
import { api } from '../api/client'

/**
 * The clinic system's own pre-booking checks for the chosen slot (Healthie: conflicting events),
 * where it has them; none until its answer for this slot is in.
 */
export function useVendorWarnings(connectionId: string, chosen: SlotView | null, typeRef: string): string[] {
  const key = chosen?.practitionerRef ? `${chosen.practitionerRef}|${chosen.start}|${typeRef}` : ''
  const [warnings, setWarnings] = useState<{ key: string; list: string[] } | null>(null)
  useEffect(() => {
    if (!key || !chosen?.practitionerRef) return
    let live = true
    void api.appointments
      .warnings({
        connectionId,
        practitionerRef: chosen.practitionerRef,
        appointmentTypeRef: typeRef,
        start: chosen.start,
      })
      .then((r) => live && setWarnings({ key, list: r.ok ? r.value : [] }))
    return () => {
      live = false
    }
    // `key` is every input of the check.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return warnings?.key === key ? warnings.list : []
}
