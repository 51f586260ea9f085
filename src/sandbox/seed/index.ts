export * from './clinic'
export { mulberry32, stream, type Rng } from './prng'
