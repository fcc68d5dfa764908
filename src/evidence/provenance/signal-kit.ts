/**
 * Shared vocabulary of the provenance signals: strength bands, the signal
 * constructor and bilingual formatting of times and durations.
 */
import type { Signal } from '../model.js';

/**
 * Strength bands. Fusion is a noisy-OR with review at 0.35 and reject at
 * 0.8, so a weak finding alone never sends a photo to review, a strong one
 * rejects, and a medium one needs company.
 */
export const STRENGTH = {
  none: 0,
  faint: 0.15,
  weak: 0.2,
  weakMedium: 0.3,
  moderate: 0.4,
  medium: 0.5,
  mediumStrong: 0.6,
  fairlyStrong: 0.7,
  strong: 0.8,
  strongPlus: 0.85,
  declared: 0.9,
  veryStrong: 0.95,
} as const;

/** Builds a provenance signal. */
export function provenanceSignal(
  id: string,
  strength: number,
  zh: string,
  en: string,
  details?: Record<string, unknown>,
): Signal {
  const signal: Signal = {
    id: `provenance.${id}`,
    family: 'provenance',
    strength,
    reason: { zh, en },
  };
  if (details) signal.details = details;
  return signal;
}

/** A UTC instant shown as Beijing time (the console's display zone), e.g. `2025-02-09 08:13 (UTC+08:00)`. */
export function formatBeijing(ms: number): string {
  const shifted = new Date(ms + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)} (UTC+08:00)`;
}

/** A positive duration in words, in both languages. */
export function formatDuration(ms: number): { zh: string; en: string } {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return { zh: `${minutes} 分钟`, en: `${minutes} min` };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return {
      zh: `${hours} 小时${rest ? ` ${rest} 分钟` : ''}`,
      en: `${hours} h${rest ? ` ${rest} min` : ''}`,
    };
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return {
    zh: `${days} 天${restHours ? ` ${restHours} 小时` : ''}`,
    en: `${days} days${restHours ? ` ${restHours} h` : ''}`,
  };
}

/** Shortens a value for a reason sentence. */
export function clip(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
