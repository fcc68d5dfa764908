/**
 * Provenance: what an image's metadata says about where it came from
 * (EXIF, XMP, IPTC, PNG text, C2PA) turned into signals.
 */
export {
  readMetadata,
  readContainers,
  sniffFormat,
  type ReadMetadataOptions,
} from './read-metadata.js';
export { provenanceSignals, analyzeProvenance, type ProvenanceContext } from './signals.js';
export { validateC2pa, loadC2paValidator } from './c2pa-validate.js';
export { findAigcLabels, type AigcLabel } from './aigc-label.js';
export { findGeneratorTraces, type GeneratorTrace } from './generator-traces.js';
export { findEditors, type EditorTrace } from './editing-software.js';
export { resolveCaptureTime, CLOCK_SKEW_MS, type CaptureTime } from './capture-time.js';
export { STRENGTH } from './signal-kit.js';
export type * from './model.js';
