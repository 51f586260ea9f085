/** Time as the simulators see it: the app's one Clock (tests swap in a ManualClock to expire tokens and reservations without waiting). */
export { type Clock, ManualClock, StartedAtClock, systemClock } from '../../shared/clock'
