import { createRequire } from 'node:module';
import { EvidenceError } from '../errors.js';
import type { ImageLimits, RasterImage } from '../model.js';
import { corrupt } from './container.js';
import { checkPixels } from './inspect.js';

/**
 * HEVC-coded HEIF (iPhone photos) decoded with libheif compiled to
 * WebAssembly, because sharp's prebuilt libheif ships without an HEVC
 * decoder. libheif applies the file's irot/imir/clap transforms itself, so
 * the pixels come out as displayed; EXIF orientation in a HEIF is
 * informative only and must not be applied again.
 */

interface Enum {
  value: number;
}
interface HeifError {
  code: Enum;
  subcode: Enum;
  message: string;
}
interface Channel {
  id: Enum;
  width: number;
  height: number;
  stride: number;
  data: Uint8Array;
}
interface DecodedHeif {
  channels?: Channel[];
  image: unknown;
}
/** The slice of libheif-js's embind API this file uses. */
interface LibHeif {
  heif_context_alloc(): unknown;
  heif_context_free(context: unknown): void;
  heif_context_read_from_memory(context: unknown, bytes: Uint8Array): HeifError;
  heif_js_context_get_primary_image_handle(context: unknown): unknown;
  heif_image_handle_get_width(handle: unknown): number;
  heif_image_handle_get_height(handle: unknown): number;
  heif_image_handle_has_alpha_channel(handle: unknown): number;
  heif_image_handle_release(handle: unknown): void;
  heif_js_decode_image2(handle: unknown, colorspace: Enum, chroma: Enum): DecodedHeif | HeifError;
  heif_image_release(image: unknown): void;
  heif_colorspace: { heif_colorspace_RGB: Enum };
  heif_chroma: { heif_chroma_interleaved_RGB: Enum; heif_chroma_interleaved_RGBA: Enum };
  heif_channel: { heif_channel_interleaved: Enum };
}

let libheif: LibHeif | undefined;

/** Loads the WebAssembly build once, on the first HEIF, since it costs a few hundred milliseconds. */
function loadLibheif(): LibHeif {
  // The bundle embeds its .wasm, so it loads from any working directory.
  libheif ??= createRequire(import.meta.url)('libheif-js/wasm-bundle') as LibHeif;
  return libheif;
}

// heif_error_code values (libheif heif_error.h).
const UNSUPPORTED_FILETYPE = 3;
const UNSUPPORTED_FEATURE = 4;
const MEMORY_ALLOCATION = 6;
const NO_MATCHING_DECODER = 6003; // a subcode, raised under Plugin_loading_error or Decoder_plugin_error

/** The displayed size of a HEIF's primary image, read from its boxes without decoding. */
export function readHeifSize(bytes: Uint8Array): { width: number; height: number } {
  return withPrimaryImage(bytes, (lib, handle) => ({
    width: lib.heif_image_handle_get_width(handle),
    height: lib.heif_image_handle_get_height(handle),
  }));
}

/** Decodes a HEIF's primary image to oriented RGB, alpha flattened onto white, within the pixel cap. */
export function decodeHeif(bytes: Uint8Array, limits: ImageLimits): RasterImage {
  return withPrimaryImage(bytes, (lib, handle) => {
    const width = lib.heif_image_handle_get_width(handle);
    const height = lib.heif_image_handle_get_height(handle);
    checkPixels(width, height, limits);
    const hasAlpha = lib.heif_image_handle_has_alpha_channel(handle) !== 0;
    const chroma = hasAlpha
      ? lib.heif_chroma.heif_chroma_interleaved_RGBA
      : lib.heif_chroma.heif_chroma_interleaved_RGB;
    const decoded = lib.heif_js_decode_image2(
      handle,
      lib.heif_colorspace.heif_colorspace_RGB,
      chroma,
    );
    if (!('channels' in decoded) || !decoded.channels)
      throw translateHeifError(decoded as HeifError);
    try {
      const plane = decoded.channels.find(
        (c) => c.id.value === lib.heif_channel.heif_channel_interleaved.value,
      );
      if (!plane || plane.width !== width || plane.height !== height) {
        throw corrupt('the HEIF decoder produced an unexpected image', { decoder: 'libheif' });
      }
      return { width, height, channels: 3, data: packRgb(plane, hasAlpha ? 4 : 3) };
    } finally {
      lib.heif_image_release(decoded.image);
    }
  });
}

/** Opens a libheif context on the bytes, hands the primary image to `use`, and always frees both. */
function withPrimaryImage<T>(bytes: Uint8Array, use: (lib: LibHeif, handle: unknown) => T): T {
  const lib = loadLibheif();
  const context = lib.heif_context_alloc();
  try {
    const error = lib.heif_context_read_from_memory(context, bytes);
    if (error.code.value !== 0) throw translateHeifError(error);
    const handle = lib.heif_js_context_get_primary_image_handle(context);
    if (isHeifError(handle)) throw translateHeifError(handle);
    try {
      return use(lib, handle);
    } finally {
      lib.heif_image_handle_release(handle);
    }
  } finally {
    lib.heif_context_free(context);
  }
}

/** Copies the WebAssembly plane out (it dies with the image), dropping row padding and flattening alpha onto white. */
function packRgb(plane: Channel, channels: 3 | 4): Uint8Array {
  const { width, height, stride, data } = plane;
  const out = new Uint8Array(width * height * 3);
  if (channels === 3) {
    for (let y = 0; y < height; y++)
      out.set(data.subarray(y * stride, y * stride + width * 3), y * width * 3);
    return out;
  }
  let o = 0;
  for (let y = 0; y < height; y++) {
    let i = y * stride;
    for (let x = 0; x < width; x++, i += 4) {
      const alpha = data[i + 3]!;
      const white = 255 * (255 - alpha);
      out[o++] = Math.round((data[i]! * alpha + white) / 255);
      out[o++] = Math.round((data[i + 1]! * alpha + white) / 255);
      out[o++] = Math.round((data[i + 2]! * alpha + white) / 255);
    }
  }
  return out;
}

function isHeifError(value: unknown): value is HeifError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** True when libheif could read the file but has no decoder for its codec (e.g. AV1 in a mif1 file). */
export function isMissingCodec(error: unknown): boolean {
  return error instanceof EvidenceError && error.details?.['missingCodec'] === true;
}

function translateHeifError(error: HeifError): EvidenceError {
  const code = error.code.value;
  const subcode = error.subcode.value;
  const details = {
    decoder: 'libheif',
    code,
    subcode,
    reason: String(error.message).slice(0, 200),
  };
  if (code === MEMORY_ALLOCATION) {
    return new EvidenceError(
      'EVIDENCE_TOO_MANY_PIXELS',
      'too_large',
      'the HEIF image exceeds the decoder limits',
      details,
    );
  }
  if (
    code === UNSUPPORTED_FILETYPE ||
    code === UNSUPPORTED_FEATURE ||
    subcode === NO_MATCHING_DECODER
  ) {
    return new EvidenceError(
      'EVIDENCE_UNSUPPORTED_FORMAT',
      'unsupported',
      'the HEIF image uses a coding this service cannot decode',
      {
        ...details,
        missingCodec: true,
      },
    );
  }
  return corrupt('the HEIF image is damaged or truncated', details);
}
