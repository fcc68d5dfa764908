/**
 * Reuse detection: a persistent near-duplicate index over PDQ hashes of all
 * earlier evidence, and the signal its matches produce.
 */
export { MihReuseIndex, type ReuseIndexFootprint } from './mih-index.js';
export type { ReuseIndex, ReuseMatch } from './model.js';
export {
  PDQ_MATCH_DISTANCE,
  PDQ_MIN_QUALITY,
  reuseSignal,
  reuseStrength,
  type ReuseSignalOptions,
} from './signal.js';
