/**
 * Who is at the desk. A shared reception PC keeps patient data on screen, so once people are
 * listed (each with a short PIN) the desk starts locked, one of them unlocks it, every change is
 * recorded under their name, and it locks again after a few idle minutes or on "Switch person".
 *
 * The checks live here, not in the lock screen: while locked the router refuses every call but the
 * few the app's own background screens make (`allowedWhileLocked`), so nothing can be changed,
 * looked up or recorded under nobody. PINs are kept only as salted scrypt hashes and compared in
 * constant time; five wrong PINs in a row hold that person's unlock back for 30 s. Idle time is read
 * from the injected clock, so tests move it instead of waiting.
 */
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../../shared/clock'
import type { DeskState, MethodName, StaffMember } from '../../shared/contract'
import { AppFailure } from '../../shared/result'
import type { EventBus } from '../app/event-bus'
import type { StaffRepo } from '../store/staff-repo'

export const DEFAULT_IDLE_LOCK_MINUTES = 5
const WRONG_PINS_BEFORE_HOLD = 5
const HOLD_MS = 30_000
/** How often the idle time is looked at; the lock lands at most this late. */
const IDLE_CHECK_MS = 5_000

/**
 * What the app's own screens ask for by themselves, on events, while the lock screen covers them,
 * so they are current for the next person: status, the day book, the queue, an open appointment,
 * patient card or audit log. Everything else (every change, every search or trace, free slots,
 * credentials, settings, the support bundle) waits for someone to unlock.
 */
export const allowedWhileLocked: ReadonlySet<MethodName> = new Set<MethodName>([
  'app.info',
  'app.health',
  'connections.list',
  'connections.status',
  'credentials.status',
  'reference.get',
  'appointments.day',
  'appointments.get',
  'patients.get',
  'patients.appointments',
  'queue.list',
  'audit.list',
  'settings.get',
  'settings.managed',
  'desk.state',
  'desk.unlock',
  'desk.activity',
])

const hash = (pin: string, salt: Buffer) => scryptSync(pin, salt, 32)

export class DeskService {
  private currentId: string | null = null
  private lastActivity: number
  private readonly wrong = new Map<string, { count: number; heldUntil: number }>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly staff: StaffRepo,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    /** The name changes are recorded under while nobody is listed (typed in settings). */
    private readonly typedName: () => string,
  ) {
    this.lastActivity = clock.now().getTime()
  }

  /** Starts looking at idle time (the desktop and browser hosts; tests call `checkIdle`). */
  start(): void {
    this.timer ??= setInterval(() => this.checkIdle(), IDLE_CHECK_MS)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private get lockEnabled() {
    return this.staff.count() > 0
  }

  locked(): boolean {
    return this.lockEnabled && (this.currentId === null || this.staff.get(this.currentId) === undefined)
  }

  /** The name on every outbox row and audit entry made now. */
  actorName(): string {
    if (!this.lockEnabled) return this.typedName()
    const who = this.currentId ? this.staff.get(this.currentId) : undefined
    // The router refuses changes while locked; this is the last line should one get through.
    if (!who) throw new AppFailure('locked', 'Frontdesk is locked: unlock it with your PIN first.')
    return who.name
  }

  state(): DeskState {
    const staff = this.staff.list().map(({ id, name }): StaffMember => ({ id, name }))
    const locked = this.locked()
    const current = locked ? null : (staff.find((s) => s.id === this.currentId) ?? null)
    return {
      staff,
      locked,
      current,
      idleLockMinutes: this.staff.idleLockMinutes(DEFAULT_IDLE_LOCK_MINUTES),
    }
  }

  /**
   * The router's check before every call: an idle desk locks first, then a locked desk refuses
   * what is not on the list. Calls are not activity (screens also call on events by themselves);
   * only a key or a click reported by `activity` is.
   */
  guard(method: MethodName): void {
    this.checkIdle()
    if (this.locked() && !allowedWhileLocked.has(method))
      throw new AppFailure('locked', 'Frontdesk is locked: unlock it with your PIN first.')
  }

  /** Input from the person at the desk; answers when the desk will lock if nothing else happens. */
  activity(): { lockAt: string | null } {
    if (this.locked()) return { lockAt: null }
    this.touch()
    return { lockAt: this.lockEnabled ? new Date(this.lastActivity + this.idleMs()).toISOString() : null }
  }

  unlock(staffId: string, pin: string): DeskState {
    const who = this.staff.get(staffId)
    if (!who) throw new AppFailure('not-found', 'That person is no longer on the staff list.', 'staffId')
    const now = this.clock.now().getTime()
    const tries = this.wrong.get(staffId)
    if (tries && tries.heldUntil > now) {
      const s = Math.ceil((tries.heldUntil - now) / 1000)
      throw new AppFailure('conflict', `Too many wrong PINs: try again in ${s} s.`, 'pin')
    }
    if (!timingSafeEqual(hash(pin, who.pinSalt), who.pinHash)) {
      const count = (tries?.count ?? 0) + 1
      const held = count >= WRONG_PINS_BEFORE_HOLD
      this.wrong.set(staffId, { count: held ? 0 : count, heldUntil: held ? now + HOLD_MS : 0 })
      throw new AppFailure(
        'invalid-input',
        held ? `Wrong PIN. Too many wrong PINs: try again in ${HOLD_MS / 1000} s.` : 'Wrong PIN.',
        'pin',
      )
    }
    this.wrong.delete(staffId)
    this.currentId = staffId
    this.touch()
    this.changed()
    return this.state()
  }

  lock(): DeskState {
    if (this.lockEnabled && this.currentId !== null) {
      this.currentId = null
      this.changed()
    }
    return this.state()
  }

  /** Adds a person. The first one listed is at the desk at once (the lock starts with them). */
  add(name: string, pin: string): DeskState {
    const trimmed = name.trim()
    if (this.staff.hasName(trimmed))
      throw new AppFailure('conflict', `${trimmed} is already on the staff list.`, 'name')
    const first = !this.lockEnabled
    const salt = randomBytes(16)
    const id = randomUUID()
    this.staff.add(
      { id, name: trimmed, pinSalt: salt, pinHash: hash(pin, salt) },
      this.clock.now().toISOString(),
    )
    if (first) {
      this.currentId = id
      this.touch()
      this.changed()
    }
    return this.state()
  }

  remove(staffId: string): DeskState {
    if (staffId === this.currentId && this.staff.count() > 1)
      throw new AppFailure(
        'conflict',
        'You cannot remove yourself while someone else is listed: ask them to remove you.',
        'staffId',
      )
    if (!this.staff.remove(staffId))
      throw new AppFailure('not-found', 'That person is no longer on the staff list.', 'staffId')
    this.wrong.delete(staffId)
    if (staffId === this.currentId) this.currentId = null
    this.changed()
    return this.state()
  }

  setIdleLock(minutes: number): DeskState {
    this.staff.setIdleLockMinutes(minutes)
    this.touch()
    return this.state()
  }

  /** Locks a desk left idle for its idle time; the timer and every call look. */
  checkIdle(): void {
    if (this.locked() || !this.lockEnabled) return
    if (this.clock.now().getTime() - this.lastActivity >= this.idleMs()) {
      this.currentId = null
      this.changed()
    }
  }

  private idleMs() {
    return this.staff.idleLockMinutes(DEFAULT_IDLE_LOCK_MINUTES) * 60_000
  }

  private touch() {
    this.lastActivity = this.clock.now().getTime()
  }

  private changed() {
    const s = this.state()
    this.bus.emit('deskChanged', { locked: s.locked, current: s.current?.name ?? null })
  }
}
