/**
 * The evidence check: bytes in, a typed, explained report out. A library
 * with no dependency on the rest of anxin.
 */
export { analyzeEvidence, type AnalysisOptions, type AnalysisArtifacts } from './analyze.js';
export { renderOverlay } from './overlay.js';
export {
  fuseSignals,
  verdictFor,
  collectRegions,
  FAMILY_WEIGHTS,
  type Fusion,
} from './fusion/fuse.js';
export { EvidenceError, type EvidenceErrorCode, type EvidenceErrorKind } from './errors.js';
export { ENGINE_VERSION } from './version.js';
export { openImage, sniffFormat, type OpenedImage } from './guard/index.js';
export { pdqHash, pdqDihedral, hammingDistance } from './hashing/index.js';
export {
  MihReuseIndex,
  reuseSignal,
  PDQ_MATCH_DISTANCE,
  type ReuseIndex,
  type ReuseMatch,
} from './reuse/index.js';
export * from './model.js';
