import { createHash } from 'node:crypto';
import { EvidenceError } from '../errors.js';
import type { DecodedImage, ImageFormat, ImageLimits, RasterImage } from '../model.js';
import { corrupt } from './container.js';
import { decodeHeif, isMissingCodec, readHeifSize } from './decode-heif.js';
import { decodeWithSharp, readSharpHeader } from './decode-sharp.js';
import { checkPixels, inspectContainer } from './inspect.js';
import { resolveLimits } from './limits.js';
import { normalizeOrientation } from './orientation.js';
import { analysisSize, downscale } from './resample.js';
import { sniffFormat } from './sniff.js';

/**
 * An accepted image whose headers passed every check and whose pixels are
 * decoded on demand: the full-resolution decode happens at most once, and
 * analysis-size pixels are decoded at reduced resolution when the full
 * pixels are not needed.
 */
export interface OpenedImage {
  readonly format: ImageFormat;
  /** Hex SHA-256 of the original bytes. */
  readonly sha256: string;
  readonly byteLength: number;
  /** The orientation applied to reach the displayed image, as an EXIF value (1 when none). */
  readonly orientation: number;
  /** Displayed width, after orientation. */
  readonly width: number;
  /** Displayed height, after orientation. */
  readonly height: number;
  /** True when the file is animated; only its first frame is ever decoded. */
  readonly animated: boolean;
  /** The untouched input. */
  readonly bytes: Uint8Array;
  /** Full-resolution oriented RGB, decoded on the first call and shared afterwards. */
  pixels(): Promise<RasterImage>;
  /** Oriented RGB with the long side at most `maxSide`; decoded small directly unless the full pixels already exist. */
  analysisPixels(maxSide: number): Promise<RasterImage>;
  /** The image as the shared `DecodedImage` (decodes the full-resolution pixels). */
  decode(): Promise<DecodedImage>;
}

/** Checks bytes against the limits, sniffs and inspects them, and reads the headers, without decoding pixels. */
export async function openImage(
  bytes: Uint8Array,
  limits?: Partial<ImageLimits>,
): Promise<OpenedImage> {
  const caps = resolveLimits(limits);
  if (bytes.length === 0) throw new EvidenceError('EVIDENCE_EMPTY', 'invalid', 'the file is empty');
  if (bytes.length > caps.maxBytes) {
    throw new EvidenceError('EVIDENCE_TOO_LARGE', 'too_large', 'the file is too large', {
      byteLength: bytes.length,
      maxBytes: caps.maxBytes,
    });
  }
  const format = sniffFormat(bytes);
  const container = inspectContainer(bytes, format, caps);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const source = format === 'heic' ? await openHeif(bytes, caps) : await openWithSharp(bytes, caps);
  // HEIF decoders apply the container's irot/imir and ignore EXIF orientation, as the HEIF spec requires.
  const orientation =
    format === 'heic' || format === 'avif' ? container.containerOrientation : source.orientation;
  const { width, height } = source;

  let full: Promise<RasterImage> | undefined;
  const analysis = new Map<number, Promise<RasterImage>>();
  let decoded: Promise<DecodedImage> | undefined;

  const pixels = (): Promise<RasterImage> => {
    full ??= source.decode().then((raster) => {
      if (raster.width !== width || raster.height !== height) {
        throw corrupt('the decoded image differs in size from its header', { width, height });
      }
      return raster;
    });
    return full;
  };
  const analysisPixels = (maxSide: number): Promise<RasterImage> => {
    const target = analysisSize(width, height, maxSide);
    if (target.width === width && target.height === height) return pixels();
    let pending = analysis.get(maxSide);
    if (!pending) {
      pending =
        full || !source.decodeAt
          ? pixels().then((raster) => downscale(raster, maxSide))
          : source.decodeAt(target);
      analysis.set(maxSide, pending);
    }
    return pending;
  };
  const decode = (): Promise<DecodedImage> => {
    decoded ??= pixels().then((raster) => ({
      format,
      sha256,
      byteLength: bytes.length,
      orientation,
      pixels: raster,
      bytes,
    }));
    return decoded;
  };
  return {
    format,
    sha256,
    byteLength: bytes.length,
    orientation,
    width,
    height,
    animated: container.animated,
    bytes,
    pixels,
    analysisPixels,
    decode,
  };
}

/** Opens, checks and fully decodes an image: oriented RGB pixels, hash, format and orientation. */
export async function decodeImage(
  bytes: Uint8Array,
  limits?: Partial<ImageLimits>,
): Promise<DecodedImage> {
  return (await openImage(bytes, limits)).decode();
}

/** A format-specific way to produce pixels once the headers are known. */
interface PixelSource {
  width: number;
  height: number;
  orientation: number;
  decode(): Promise<RasterImage>;
  /** Decodes straight to a smaller size, when the decoder can do it cheaply. */
  decodeAt?: (target: { width: number; height: number }) => Promise<RasterImage>;
}

async function openWithSharp(bytes: Uint8Array, limits: ImageLimits): Promise<PixelSource> {
  const header = await readSharpHeader(bytes, limits);
  checkPixels(header.storedWidth, header.storedHeight, limits);
  return {
    width: header.width,
    height: header.height,
    orientation: normalizeOrientation(header.exifOrientation),
    decode: () => decodeWithSharp(bytes, limits, header),
    decodeAt: (target) => decodeWithSharp(bytes, limits, header, target),
  };
}

/**
 * HEVC HEIF goes to libheif (WebAssembly). A HEIF coded with something that
 * build lacks (AV1 under a generic brand) is retried with sharp, whose
 * libheif has an AV1 decoder.
 */
async function openHeif(bytes: Uint8Array, limits: ImageLimits): Promise<PixelSource> {
  const size = readHeifSize(bytes);
  checkPixels(size.width, size.height, limits);
  return {
    ...size,
    orientation: 1,
    decode: async () => {
      try {
        return decodeHeif(bytes, limits);
      } catch (error) {
        if (!isMissingCodec(error)) throw error;
        try {
          const header = await readSharpHeader(bytes, limits);
          return await decodeWithSharp(bytes, limits, header);
        } catch {
          throw error;
        }
      }
    },
  };
}
