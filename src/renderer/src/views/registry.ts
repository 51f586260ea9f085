/**
 * The screens reachable from the navigation. Each area registers itself here with one entry;
 * the shell (App.tsx) renders the list and the chosen screen.
 */
import type { ComponentType } from 'react'
import type { ViewId } from '../state/ui-store'
import { StatusView } from './StatusView'
import { PatientsView } from '../patients/PatientsView'
import { PatientView } from '../patients/PatientView'
import { TodayView } from '../today/TodayView'
import { OutageKitView } from '../outage/OutageKitView'
import { QueueView } from '../queue/QueueView'
import { SettingsView } from '../settings/SettingsView'
import { AuditView } from '../audit/AuditView'
import { WaitingRoomView } from '../waiting/WaitingRoomView'

export interface ViewDef {
  id: ViewId
  label: string
  /** Alt+<key> opens it from anywhere. */
  key?: string
  /** Hidden from the navigation (reached from elsewhere, e.g. a patient card). */
  hidden?: boolean
  component: ComponentType
}

export const views: ViewDef[] = [
  { id: 'today', label: 'Today', key: '1', component: TodayView },
  { id: 'patients', label: 'Patients', key: '2', component: PatientsView },
  { id: 'patient', label: 'Patient', hidden: true, component: PatientView },
  { id: 'queue', label: 'Queue', key: '3', component: QueueView },
  { id: 'settings', label: 'Settings', key: '4', component: SettingsView },
  { id: 'audit', label: 'Audit log', key: '5', component: AuditView },
  { id: 'outage', label: 'Outage kit', key: '6', component: OutageKitView },
  { id: 'waiting', label: 'Waiting room', key: '7', component: WaitingRoomView },
  { id: 'status', label: 'Status', key: '9', component: StatusView },
]
