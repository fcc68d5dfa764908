/**
 * IPTC-IIM inside Photoshop image resources (JPEG APP13). Only the text
 * datasets matter to us: caption, program, dates, source.
 */
import { latin1, startsWithAscii, u16, u32, utf8 } from './bytes.js';
import type { IptcDataset } from './model.js';

const MAX_DATASETS = 2048;

const NAMES: Record<string, string> = {
  '2:5': 'ObjectName',
  '2:25': 'Keywords',
  '2:55': 'DateCreated',
  '2:60': 'TimeCreated',
  '2:62': 'DigitalCreationDate',
  '2:63': 'DigitalCreationTime',
  '2:65': 'OriginatingProgram',
  '2:70': 'ProgramVersion',
  '2:80': 'By-line',
  '2:110': 'Credit',
  '2:115': 'Source',
  '2:116': 'CopyrightNotice',
  '2:120': 'Caption-Abstract',
};

/** Reads the IPTC datasets from Photoshop resource blocks (`8BIM` … id 0x0404). */
export function parsePhotoshopIptc(resources: Uint8Array, warnings: string[]): IptcDataset[] {
  const out: IptcDataset[] = [];
  let at = 0;
  while (at + 12 <= resources.length) {
    if (!startsWithAscii(resources, '8BIM', at)) break;
    const id = u16(resources, at + 4) ?? 0;
    const nameLength = resources[at + 6] ?? 0;
    // The Pascal name (length byte + text) is padded to an even size.
    const nameSize = (nameLength + 1) % 2 === 0 ? nameLength + 1 : nameLength + 2;
    const sizeAt = at + 6 + nameSize;
    const size = u32(resources, sizeAt);
    if (size === undefined || sizeAt + 4 + size > resources.length) {
      warnings.push('iptc: Photoshop resource runs past the segment');
      break;
    }
    const data = resources.subarray(sizeAt + 4, sizeAt + 4 + size);
    if (id === 0x0404) out.push(...parseIim(data, warnings));
    at = sizeAt + 4 + size + (size % 2);
  }
  return out;
}

/** Reads IIM datasets (`0x1C record dataset length value`). */
export function parseIim(data: Uint8Array, warnings: string[]): IptcDataset[] {
  const out: IptcDataset[] = [];
  let isUtf8 = false;
  let at = 0;
  while (at + 5 <= data.length && out.length < MAX_DATASETS) {
    if (data[at] !== 0x1c) break;
    const record = data[at + 1] ?? 0;
    const dataset = data[at + 2] ?? 0;
    let length = u16(data, at + 3) ?? 0;
    let start = at + 5;
    if (length & 0x8000) {
      // Extended dataset: the low bits give how many bytes hold the length.
      const lengthBytes = length & 0x7fff;
      if (lengthBytes !== 4) {
        warnings.push('iptc: unsupported extended dataset length');
        break;
      }
      length = u32(data, start) ?? 0;
      start += 4;
    }
    if (start + length > data.length) {
      warnings.push('iptc: dataset runs past the block');
      break;
    }
    const raw = data.subarray(start, start + length);
    // 1:90 CodedCharacterSet; ESC % G declares UTF-8.
    if (record === 1 && dataset === 90) isUtf8 = latin1(raw) === '\x1b%G';
    const key = `${record}:${dataset}`;
    if (record === 2 && dataset !== 0) {
      const value = isUtf8 || !raw.some((b) => b > 0x7f) ? utf8(raw) : decodeUnknown(raw);
      const name = NAMES[key];
      out.push(name ? { record, dataset, name, value } : { record, dataset, value });
    }
    at = start + length;
  }
  return out;
}

/** Without a charset declaration, try UTF-8 first (the common case today), then Latin-1. */
function decodeUnknown(raw: Uint8Array): string {
  const text = utf8(raw);
  return text.includes('\uFFFD') ? latin1(raw) : text;
}
