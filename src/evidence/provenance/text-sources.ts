/**
 * Every human-readable metadata value of a bundle as (where, key, text), so
 * label and generator detectors look in all containers the same way.
 */
import type { MetadataBundle } from './model.js';
import { XMP_NS } from './xmp.js';

/** One text value and where it was found. */
export interface TextSource {
  /** Where, for reasons: `EXIF UserComment`, `XMP TC260:AIGC`, `PNG tEXt "parameters"`. */
  where: string;
  /** Key for matching: the EXIF tag name, the XMP `name`, the PNG keyword, the IPTC name. */
  key: string;
  /** XMP namespace URI, for XMP values. */
  ns?: string;
  text: string;
  /** Whether the field names software (EXIF Software, XMP CreatorTool, …). */
  isSoftwareField: boolean;
}

const SOFTWARE_XMP = new Set([
  `${XMP_NS.xmp}CreatorTool`,
  `${XMP_NS.stEvt}softwareAgent`,
  `${XMP_NS.tiff}Software`,
]);
const SOFTWARE_PNG_KEYS = new Set([
  'software',
  'source',
  'generator',
  'creator tool',
  'creatortool',
]);

/** Lists the bundle's text values, EXIF first, then XMP, IPTC, PNG text and JPEG comments. */
export function textSources(bundle: MetadataBundle): TextSource[] {
  const out: TextSource[] = [];
  const f = bundle.exif?.fields;
  if (f) {
    const exif: [string, string | undefined, boolean][] = [
      ['Software', f.software, true],
      ['ProcessingSoftware', f.processingSoftware, true],
      ['HostComputer', f.hostComputer, false],
      ['Make', f.make, false],
      ['Model', f.model, false],
      ['ImageDescription', f.imageDescription, false],
      ['Artist', f.artist, false],
      ['UserComment', f.userComment, false],
      ['XPComment', f.xpComment, false],
      ['XPTitle', f.xpTitle, false],
      ['XPSubject', f.xpSubject, false],
      ['XPKeywords', f.xpKeywords, false],
    ];
    for (const [key, text, isSoftwareField] of exif) {
      if (text) out.push({ where: `EXIF ${key}`, key, text, isSoftwareField });
    }
  }
  for (const p of bundle.xmp?.properties ?? []) {
    out.push({
      where: `XMP ${p.prefix ? `${p.prefix}:` : ''}${p.name}`,
      key: p.name,
      ns: p.ns,
      text: p.value,
      isSoftwareField: SOFTWARE_XMP.has(`${p.ns}${p.name}`),
    });
  }
  for (const d of bundle.iptc ?? []) {
    const key = d.name ?? `${d.record}:${d.dataset}`;
    out.push({
      where: `IPTC ${key}`,
      key,
      text: d.value,
      isSoftwareField: key === 'OriginatingProgram',
    });
  }
  for (const t of bundle.pngText) {
    out.push({
      where: `PNG ${t.chunk} "${t.keyword}"`,
      key: t.keyword,
      text: t.text,
      isSoftwareField: SOFTWARE_PNG_KEYS.has(t.keyword.toLowerCase()),
    });
  }
  for (const comment of bundle.comments) {
    out.push({ where: 'JPEG COM', key: 'Comment', text: comment, isSoftwareField: false });
  }
  return out;
}
