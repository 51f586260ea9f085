export { type Clock, ManualClock, systemClock } from './clock'
export { type Fault, type FaultScope, faultSchema, FaultQueue } from './faults'
export { TokenBucket } from './rate-limit'
export {
  type ControlHandle,
  type HandlerContext,
  json,
  type RecordedWrite,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
  startSimulator,
  type VendorDefinition,
  type VendorId,
} from './server'
export { matchRoute, type Route, type RouteHandler } from './routes'
