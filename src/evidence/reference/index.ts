/**
 * Derived-from-reference check: decides whether a claim photo is a
 * transformed copy of one of the merchant's reference images and localises
 * what was added (cracks, stains, spliced or copied patches).
 */
export {
  type BestReferenceMatch,
  compareWithReferences,
  type ReferenceComparison,
  type ReferenceComparisonOptions,
} from './compare.js';
export { type CandidateSettings, DEFAULT_CANDIDATE_SETTINGS } from './candidate.js';
export { loadOpenCv, type OpenCv } from './opencv.js';
