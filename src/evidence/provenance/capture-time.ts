/**
 * Capture time against the order's delivery time. A "damage" photo taken
 * before the parcel arrived cannot show damage from that delivery. EXIF
 * times are local clock readings: the offset comes from OffsetTime*, else
 * from the GPS clock (UTC), else Asia/Shanghai is assumed and said so.
 */
import type { Signal } from '../model.js';
import type { MetadataBundle } from './model.js';
import { STRENGTH, formatBeijing, formatDuration, provenanceSignal } from './signal-kit.js';
import { XMP_NS, xmpValues } from './xmp.js';

/** Tolerance for camera and courier clocks disagreeing. */
export const CLOCK_SKEW_MS = 10 * 60_000;
const HOUR_MS = 3600_000;
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

/** A local date-time as written, with its offset when the text carried one. */
export interface ParsedDateTime {
  /** The wall-clock reading as if it were UTC (compare two readings of one clock with this). */
  naiveMs: number;
  offsetMinutes?: number;
}

/** Parses `YYYY:MM:DD HH:MM:SS`, ISO 8601 and their mixes, with optional fraction and offset. */
export function parseExifDateTime(text: string): ParsedDateTime | undefined {
  const m =
    /^\s*(\d{4})[:-](\d{2})[:-](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(
      text,
    );
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const naiveMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const offset = m[7] ? parseOffset(m[7]) : undefined;
  return offset === undefined ? { naiveMs } : { naiveMs, offsetMinutes: offset };
}

/** Parses `+08:00`, `+0800` or `Z` into minutes east of UTC. */
export function parseOffset(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (text.trim() === 'Z') return 0;
  const m = /^\s*([+-])(\d{2}):?(\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return minutes > 14 * 60 ? undefined : (m[1] === '-' ? -1 : 1) * minutes;
}

/** The resolved capture instant and how its offset was decided. */
export interface CaptureTime {
  utcMs: number;
  /** The value as written, e.g. `2025:02:09 08:13:07`. */
  text: string;
  where: string;
  offsetMinutes: number;
  offsetSource: 'recorded' | 'gps' | 'assumed';
}

interface Candidate {
  text: string | undefined;
  offset: string | undefined;
  where: string;
}

/** Picks the capture time: EXIF DateTimeOriginal, CreateDate, then XMP and IPTC dates. */
export function resolveCaptureTime(bundle: MetadataBundle): CaptureTime | undefined {
  const f = bundle.exif?.fields;
  const props = bundle.xmp?.properties;
  const candidates: Candidate[] = [
    {
      text: f?.dateTimeOriginal,
      offset: f?.offsetTimeOriginal ?? f?.offsetTime,
      where: 'EXIF DateTimeOriginal',
    },
    {
      text: f?.createDate,
      offset: f?.offsetTimeDigitized ?? f?.offsetTime,
      where: 'EXIF CreateDate',
    },
    {
      text: xmpValues(props, XMP_NS.exif, 'DateTimeOriginal')[0],
      offset: undefined,
      where: 'XMP exif:DateTimeOriginal',
    },
    {
      text: xmpValues(props, XMP_NS.photoshop, 'DateCreated')[0],
      offset: undefined,
      where: 'XMP photoshop:DateCreated',
    },
    {
      text: xmpValues(props, XMP_NS.xmp, 'CreateDate')[0],
      offset: undefined,
      where: 'XMP xmp:CreateDate',
    },
    iptcCandidate(bundle),
  ];
  for (const c of candidates) {
    if (!c.text) continue;
    const parsed = parseExifDateTime(c.text);
    if (!parsed) continue;
    const recorded = parsed.offsetMinutes ?? parseOffset(c.offset);
    if (recorded !== undefined) {
      return {
        utcMs: parsed.naiveMs - recorded * 60_000,
        text: c.text,
        where: c.where,
        offsetMinutes: recorded,
        offsetSource: 'recorded',
      };
    }
    const fromGps = gpsOffset(parsed.naiveMs, f?.gpsUtc);
    const offset = fromGps ?? SHANGHAI_OFFSET_MINUTES;
    return {
      utcMs: parsed.naiveMs - offset * 60_000,
      text: c.text,
      where: c.where,
      offsetMinutes: offset,
      offsetSource: fromGps === undefined ? 'assumed' : 'gps',
    };
  }
  return undefined;
}

function iptcCandidate(bundle: MetadataBundle): Candidate {
  const date = bundle.iptc?.find((d) => d.name === 'DateCreated')?.value;
  const time = bundle.iptc?.find((d) => d.name === 'TimeCreated')?.value;
  const d = date ? /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim()) : null;
  const t = time ? /^(\d{2})(\d{2})(\d{2})([+-]\d{4})?$/.exec(time.trim()) : null;
  if (!d || !t) return { text: undefined, offset: undefined, where: 'IPTC DateCreated' };
  return {
    text: `${d[1]}-${d[2]}-${d[3]}T${t[1]}:${t[2]}:${t[3]}`,
    offset: t[4],
    where: 'IPTC DateCreated/TimeCreated',
  };
}

/** The GPS clock is UTC: the local reading minus it, rounded to 15 minutes, is the zone offset. */
function gpsOffset(naiveMs: number, gpsUtc: string | undefined): number | undefined {
  if (!gpsUtc) return undefined;
  const gps = Date.parse(gpsUtc);
  if (!Number.isFinite(gps)) return undefined;
  const minutes = Math.round((naiveMs - gps) / 60_000 / 15) * 15;
  return Math.abs(minutes) <= 14 * 60 ? minutes : undefined;
}

function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Signals about when the photo was taken: before delivery (strong), implausible (weak), after delivery (0, informative). */
export function captureTimeSignals(
  bundle: MetadataBundle,
  context: { deliveredAt?: Date; now?: Date },
): Signal[] {
  const capture = resolveCaptureTime(bundle);
  if (!capture) return [];
  const zone = offsetLabel(capture.offsetMinutes);
  const note = {
    zh:
      capture.offsetSource === 'assumed'
        ? `（未记录时区，按北京时间 ${zone} 计）`
        : capture.offsetSource === 'gps'
          ? `（时区 ${zone} 由 GPS 时间推得）`
          : `（${zone}）`,
    en:
      capture.offsetSource === 'assumed'
        ? ` (no zone recorded; Beijing time ${zone} assumed)`
        : capture.offsetSource === 'gps'
          ? ` (zone ${zone} derived from the GPS clock)`
          : ` (${zone})`,
  };
  const details = {
    captureTime: new Date(capture.utcMs).toISOString(),
    recorded: capture.text,
    where: capture.where,
    offsetSource: capture.offsetSource,
    deliveredAt: context.deliveredAt?.toISOString() ?? null,
  };
  const year = new Date(capture.utcMs).getUTCFullYear();
  if (year < 1990) {
    return [
      provenanceSignal(
        'capture_time_implausible',
        STRENGTH.weak,
        `${capture.where} 为 ${capture.text}，早于 1990 年，时间不可信（相机时钟未设置或元数据被改写）。`,
        `${capture.where} says ${capture.text}, before 1990: the camera clock was unset or the metadata was rewritten.`,
        details,
      ),
    ];
  }
  if (context.now && capture.utcMs > context.now.getTime() + 24 * HOUR_MS) {
    return [
      provenanceSignal(
        'capture_time_implausible',
        STRENGTH.moderate,
        `${capture.where} 为 ${capture.text}${note.zh}，晚于当前时间，时间不可信。`,
        `${capture.where} says ${capture.text}${note.en}, which is in the future: the time is not credible.`,
        details,
      ),
    ];
  }
  const delivered = context.deliveredAt?.getTime();
  if (delivered === undefined || !Number.isFinite(delivered)) return [];
  const lead = delivered - capture.utcMs;
  const d = formatDuration(lead);
  const deliveredText = formatBeijing(delivered);
  if (lead > CLOCK_SKEW_MS) {
    // Within the hour a late courier scan is a plausible excuse; beyond it the photo predates the parcel.
    const strength = lead > HOUR_MS ? STRENGTH.strong : STRENGTH.mediumStrong;
    return [
      provenanceSignal(
        'capture_before_delivery',
        strength,
        `拍摄时间早于签收时间 ${d.zh}：${capture.where} 为 ${capture.text}${note.zh}，而包裹 ${deliveredText} 才签收。照片拍摄时包裹尚未送达，不可能记录本次收货的损坏。`,
        `The photo predates the parcel's arrival by ${d.en}: ${capture.where} is ${capture.text}${note.en}, but the parcel was delivered at ${deliveredText}. It cannot show damage from this delivery.`,
        { ...details, leadMs: lead },
      ),
    ];
  }
  const isWithinSkew = lead > 0;
  return [
    provenanceSignal(
      'capture_after_delivery',
      STRENGTH.none,
      isWithinSkew
        ? `拍摄时间 ${capture.text}${note.zh}（${capture.where}）与签收时间 ${deliveredText} 相差 ${d.zh}，在时钟误差范围内。`
        : `拍摄时间 ${capture.text}${note.zh}（${capture.where}）在签收时间 ${deliveredText} 之后，与收货后拍摄相符。`,
      isWithinSkew
        ? `Taken at ${capture.text}${note.en} (${capture.where}), ${d.en} before the delivery at ${deliveredText}: within clock tolerance.`
        : `Taken at ${capture.text}${note.en} (${capture.where}), after the delivery at ${deliveredText}: consistent with a photo taken on receipt.`,
      { ...details, leadMs: lead },
    ),
  ];
}
