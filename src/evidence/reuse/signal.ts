/**
 * Turns reuse-index matches into the report's `reuse` signal. It names only
 * the ids the caller stored (so no other merchant's data can leak through
 * it) and grades strength by how close the closest match is.
 */
import type { Signal } from '../model.js';
import type { ReuseMatch } from './model.js';

/** PDQ's customary match threshold: at or below it two hashes are taken for the same picture. */
export const PDQ_MATCH_DISTANCE = 31;
/** Below this PDQ quality the hash describes a flat or featureless image and matches say little. */
export const PDQ_MIN_QUALITY = 50;

/** Options for {@link reuseSignal}. */
export interface ReuseSignalOptions {
  /** PDQ quality of the claim image's hash; low quality weakens the signal. */
  quality?: number;
  /** How many matched ids the sentence names (default 3; details list up to 20). */
  namedInReason?: number;
}

/**
 * Strength for the closest match at `distance` bits: 0.95 up to 8 bits (the
 * same picture, re-encoded), falling to 0.55 at 31, then fading to 0 at 63.
 */
export function reuseStrength(distance: number): number {
  if (distance <= 8) return 0.95;
  if (distance <= PDQ_MATCH_DISTANCE)
    return 0.95 - ((distance - 8) / (PDQ_MATCH_DISTANCE - 8)) * 0.4;
  return Math.max(0, 0.3 * ((63 - distance) / (63 - PDQ_MATCH_DISTANCE)));
}

/** The `reuse.near_duplicate` signal for the matches a reuse-index query returned (the caller excludes the claim's own images). */
export function reuseSignal(
  matches: readonly ReuseMatch[],
  options: ReuseSignalOptions = {},
): Signal {
  if (matches.length === 0)
    return {
      id: 'reuse.near_duplicate',
      family: 'reuse',
      strength: 0,
      reason: {
        zh: '未发现与此前已提交证据相同或近似的照片。',
        en: 'No earlier evidence matches this photo.',
      },
      details: { matches: [] },
    };
  const sorted = [...matches].sort((a, b) => a.distance - b.distance);
  const closest = sorted[0]!;
  const lowQuality = options.quality !== undefined && options.quality < PDQ_MIN_QUALITY;
  // A featureless image (a white wall, a dark frame) collides with others like it.
  const strength = reuseStrength(closest.distance) * (lowQuality ? 0.4 : 1);
  const named = sorted.slice(0, Math.max(1, options.namedInReason ?? 3)).map((m) => m.id);
  const more = sorted.length - named.length;
  const list = named.join(', ');
  const isSame = closest.distance <= 8;
  const isTurned = closest.variant > 0;
  const zh =
    `这张照片与此前已提交的证据${isSame ? '几乎完全相同' : '高度相似'}` +
    `${isTurned ? '（经过旋转或镜像）' : ''}：${list}${more > 0 ? ` 等 ${sorted.length} 项` : ''}` +
    `（PDQ 距离 ${closest.distance}/256）。${lowQuality ? '该图细节很少，匹配可靠性较低。' : ''}`;
  const en =
    `This photo ${isSame ? 'is essentially identical to' : 'closely matches'} evidence already submitted` +
    `${isTurned ? ' (rotated or mirrored)' : ''}: ${list}${more > 0 ? ` and ${more} more` : ''}` +
    ` (PDQ distance ${closest.distance}/256).${lowQuality ? ' The image has little detail, so the match is less reliable.' : ''}`;
  return {
    id: 'reuse.near_duplicate',
    family: 'reuse',
    strength: Math.round(strength * 1000) / 1000,
    reason: { zh, en },
    details: {
      bestDistance: closest.distance,
      matchCount: sorted.length,
      matches: sorted.slice(0, 20).map((m) => ({
        id: m.id,
        distance: m.distance,
        ...(m.transform !== undefined ? { transform: m.transform } : {}),
      })),
      ...(options.quality !== undefined ? { quality: options.quality } : {}),
    },
  };
}
