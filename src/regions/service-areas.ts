import type { Resolver, ServiceAreaItem, ServiceAreaParse } from './model.js';

/** Separators companies use between areas: 、，, ; ；and line breaks (full-width forms included). */
const SEPARATORS = /[、，,;；\r\n]+/;

/** `成都市：武侯区` — a heading before a colon applies to the items after it on the same line. */
const HEADING = /^(.*?)[:：](.*)$/s;

/**
 * Splits a pasted service-area list and resolves each piece, whole provinces
 * and prefectures included (成都市 covers all of 成都). A line written as
 * `成都市：武侯区、锦江区` carries 成都市 into each of its items. Ambiguous and
 * unknown pieces are listed in `unresolved` for a human to fix; nothing is
 * guessed.
 */
export function parseServiceAreasWith(text: string, resolver: Resolver): ServiceAreaParse {
  const items: ServiceAreaItem[] = [];
  const codes: string[] = [];
  const unresolved: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const heading = HEADING.exec(line);
    const context = heading ? heading[1]!.trim() : '';
    const pieces = (heading ? heading[2]! : line).split(SEPARATORS);
    for (const raw of pieces) {
      const piece = raw.trim();
      if (piece === '') continue;
      let resolution = resolver.resolve(context + piece, { allowAreas: true });
      // The heading may be a label (服务区域：…) rather than a place.
      if (context !== '' && resolution.status === 'unresolved')
        resolution = resolver.resolve(piece, { allowAreas: true });
      const item = { text: context === '' ? piece : `${context}：${piece}`, resolution };
      items.push(item);
      if (resolution.status === 'resolved' && resolution.code) {
        if (!codes.includes(resolution.code)) codes.push(resolution.code);
      } else unresolved.push(item.text);
    }
  }
  return { codes, items, unresolved };
}
