/**
 * What the provenance reader finds in an image's metadata containers. The
 * bundle is plain data, so signals can be computed (and tested) without the
 * original file.
 */
import type { ImageFormat } from '../model.js';

/** One EXIF tag as stored: its TIFF type, count and decoded value. */
export interface ExifEntry {
  type: number;
  count: number;
  /** Text for ASCII, numbers for integer/rational/float types, raw bytes for UNDEFINED/BYTE. */
  value: string | number[] | Uint8Array;
}

/** The EXIF fields the signals use, decoded once. */
export interface ExifFields {
  make?: string;
  model?: string;
  software?: string;
  processingSoftware?: string;
  hostComputer?: string;
  imageDescription?: string;
  artist?: string;
  orientation?: number;
  /** IFD0 DateTime, as written (`YYYY:MM:DD HH:MM:SS`). */
  modifyDate?: string;
  dateTimeOriginal?: string;
  createDate?: string;
  offsetTime?: string;
  offsetTimeOriginal?: string;
  offsetTimeDigitized?: string;
  userComment?: string;
  /** The UserComment charset prefix that was recognised (ASCII, UNICODE-LE, UNICODE-BE, JIS, undefined). */
  userCommentCharset?: string;
  xpComment?: string;
  xpTitle?: string;
  xpSubject?: string;
  xpKeywords?: string;
  pixelXDimension?: number;
  pixelYDimension?: number;
  lensModel?: string;
  hasGps: boolean;
  /** GPSDateStamp + GPSTimeStamp as a UTC ISO instant, when both are sane. */
  gpsUtc?: string;
}

/** A decoded EXIF (TIFF) block. */
export interface ExifData {
  byteOrder: 'II' | 'MM';
  /** Where the block was found, e.g. `jpeg:APP1`, `png:eXIf`, `webp:EXIF`, `heif:Exif`. */
  source: string;
  ifd0: ReadonlyMap<number, ExifEntry>;
  exif: ReadonlyMap<number, ExifEntry>;
  gps: ReadonlyMap<number, ExifEntry>;
  ifd1: ReadonlyMap<number, ExifEntry>;
  fields: ExifFields;
}

/** One XMP property: element text or attribute value, with its namespace URI. */
export interface XmpProperty {
  ns: string;
  /** The prefix the packet used for `ns` (informational; match on `ns`). */
  prefix: string;
  name: string;
  value: string;
  /** Enclosing property names (`prefix:name`) for values inside structs and arrays. */
  path: string[];
}

/** XMP packets (main and extended) and their flattened properties. */
export interface XmpData {
  packets: string[];
  sources: string[];
  properties: XmpProperty[];
}

/** One IPTC-IIM dataset. */
export interface IptcDataset {
  record: number;
  dataset: number;
  /** Common name when known (`Caption-Abstract`, `OriginatingProgram`, …). */
  name?: string;
  value: string;
}

/** A PNG text chunk (or the equivalent key/value text of another container). */
export interface PngTextEntry {
  chunk: 'tEXt' | 'iTXt' | 'zTXt';
  keyword: string;
  text: string;
  language?: string;
  translatedKeyword?: string;
  compressed: boolean;
}

/** The C2PA validation state we report; `untrusted` = intact but the signer is on no trust list we hold. */
export type C2paState = 'valid' | 'untrusted' | 'invalid' | 'unreadable';

/** One action declared in a C2PA actions assertion. */
export interface C2paAction {
  action: string;
  digitalSourceType?: string;
  softwareAgent?: string;
  /** Label of the manifest that declares it. */
  manifest: string;
  /** Whether that manifest is the active one (the last signer) or an ingredient's. */
  isActive: boolean;
}

/** What the C2PA validator said about the manifest store. */
export interface C2paReport {
  state: C2paState;
  /** Failure codes on the active manifest and the store as a whole. */
  failureCodes: string[];
  /** Failure codes recorded on ingredients. */
  ingredientFailureCodes: string[];
  claimGenerator?: string;
  title?: string;
  signerIssuer?: string;
  signerName?: string;
  signedAt?: string;
  actions: C2paAction[];
  manifestCount: number;
  /** The validator's error when it could not read the store. */
  error?: string;
}

/** Raw C2PA manifest store (JUMBF) and where it sat. */
export interface C2paData {
  jumbf: Uint8Array;
  source: 'jpeg:APP11' | 'png:caBX' | 'webp:C2PA' | 'bmff:uuid';
  report?: C2paReport;
}

/** Everything the metadata reader found in one image. */
export interface MetadataBundle {
  format: ImageFormat;
  /** Stored pixel size from the container header (before EXIF orientation), when it could be read. */
  image?: { width: number; height: number };
  exif?: ExifData;
  xmp?: XmpData;
  iptc?: IptcDataset[];
  pngText: PngTextEntry[];
  /** JPEG COM segments. */
  comments: string[];
  c2pa?: C2paData;
  /** The EXIF IFD1 thumbnail (a JPEG), when present. */
  thumbnail?: Uint8Array;
  /** Total metadata payload read, in bytes (after decompression). */
  metadataBytes: number;
  /** What was malformed or skipped; never fatal. */
  warnings: string[];
}
