import { EventEmitter } from 'node:events'
import type { EventName, EventPayload } from '../../shared/contract'

/** Typed events from services to whichever shell is attached (IPC windows or browser host streams). */
export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(100)
  emit<E extends EventName>(name: E, payload: EventPayload<E>) {
    this.emitter.emit('event', name, payload)
  }
  /** Listens to every event; returns the unsubscribe function. */
  onAny(listener: (name: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener)
    return () => this.emitter.off('event', listener)
  }
}
