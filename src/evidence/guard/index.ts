/**
 * The evidence library's intake guard: sniff the real type, refuse what is
 * not a supported image or breaks a limit, and decode to oriented RGB.
 */
export { sniffFormat } from './sniff.js';
export { decodeImage, openImage, type OpenedImage } from './decode.js';
export { analysisSize, decodeForAnalysis, downscale, toGray } from './resample.js';
export { resolveLimits, MAX_METADATA_ENTRIES, MAX_HEIF_ITEMS, MAX_JPEG_SCANS } from './limits.js';
