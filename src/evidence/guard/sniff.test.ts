import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fromRaster, quadrants, thrownCode } from './fixtures/images.js';
import { sniffFormat } from './sniff.js';

/** An ISOBMFF file start: an ftyp box with the given brands, then an empty meta box. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return Buffer.concat([box, Buffer.from('\x00\x00\x00\x0cmeta\x00\x00\x00\x00', 'latin1')]);
}

const text = (value: string) => Buffer.from(value, 'utf8');

describe('sniffFormat', () => {
  it('recognises every format sharp writes by its magic bytes', async () => {
    const picture = fromRaster(quadrants(32, 32));
    expect(sniffFormat(await picture.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffFormat(await picture.clone().png().toBuffer())).toBe('png');
    expect(sniffFormat(await picture.clone().webp().toBuffer())).toBe('webp');
    expect(sniffFormat(await picture.clone().webp({ lossless: true }).toBuffer())).toBe('webp');
    expect(sniffFormat(await picture.clone().gif().toBuffer())).toBe('gif');
    expect(sniffFormat(await picture.clone().avif().toBuffer())).toBe('avif');
  });

  it('tells HEIC from AVIF by the ftyp brands, whatever generic brands come with them', () => {
    for (const brand of ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']) {
      expect(sniffFormat(ftyp(brand, 'mif1', brand))).toBe('heic');
    }
    expect(sniffFormat(ftyp('mif1', 'mif1', 'heic'))).toBe('heic');
    expect(sniffFormat(ftyp('msf1', 'msf1', 'hevc'))).toBe('heic');
    expect(sniffFormat(ftyp('mif1', 'mif1', 'miaf'))).toBe('heic');
    expect(sniffFormat(ftyp('avif', 'mif1', 'miaf'))).toBe('avif');
    expect(sniffFormat(ftyp('avis', 'msf1', 'avis'))).toBe('avif');
    expect(sniffFormat(ftyp('mif1', 'avif', 'mif1'))).toBe('avif');
  });

  it('refuses ISOBMFF files that are not still images, such as MP4 video', () => {
    expect(thrownCode(() => sniffFormat(ftyp('isom', 'isom', 'mp42')))).toBe(
      'EVIDENCE_UNSUPPORTED_FORMAT',
    );
    expect(thrownCode(() => sniffFormat(ftyp('qt  ')))).toBe('EVIDENCE_UNSUPPORTED_FORMAT');
  });

  it('refuses SVG however it is dressed: BOM, whitespace, XML declaration, comments, doctype, prefixes, UTF-16', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>';
    const variants = [
      text(svg),
      text(`\ufeff${svg}`),
      text(`\n\t  ${svg}`),
      text(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`),
      text(`<?xml version="1.0"?><!-- made by hand --><?xml-stylesheet href="a.css"?>${svg}`),
      text(
        `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${svg}`,
      ),
      text(`<!DOCTYPE x [ <!ENTITY a "b"> ]><svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>`),
      text('<SVG onload="alert(1)">'),
      text('<svg>'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(svg, 'utf16le')]),
      Buffer.from(svg, 'utf16le'),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(svg, 'utf16le').swap16()]),
      text(`<?xml version="1.0"?><!-- unterminated comment ${'x'.repeat(100)} <svg>`),
    ];
    for (const bytes of variants)
      expect(thrownCode(() => sniffFormat(bytes))).toBe('EVIDENCE_SVG_REFUSED');
  });

  it('refuses HTML, PDF, ZIP, text and random bytes as unsupported', () => {
    let state = 7;
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      random[i] = state >>> 24;
    }
    const variants = [
      text('<!DOCTYPE html><html><head><title>x</title></head><body>hello</body></html>'),
      text('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
      Buffer.from('504b0304140000000800', 'hex'),
      text('just some words'),
      text('<?xml version="1.0"?><note><to>you</to></note>'),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00]), // gzip, e.g. SVGZ
      Buffer.from([0xff, 0xd8]), // two bytes of a JPEG
      random,
    ];
    for (const bytes of variants)
      expect(thrownCode(() => sniffFormat(bytes))).toBe('EVIDENCE_UNSUPPORTED_FORMAT');
  });

  it('refuses empty input with its own code', () => {
    expect(thrownCode(() => sniffFormat(new Uint8Array(0)))).toBe('EVIDENCE_EMPTY');
  });

  it('goes by content, not by name: a PNG inside a buffer called photo.jpg is still a PNG', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    expect(sniffFormat(png)).toBe('png');
  });
});
