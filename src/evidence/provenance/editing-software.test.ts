import { describe, expect, it } from 'vitest';
import { editingSoftwareSignal } from './editing-software.js';
import { readContainers } from './read-metadata.js';
import {
  exifSegment,
  iTXt,
  phoneExif,
  plainJpeg,
  plainPng,
  tEXt,
  withChunks,
  withSegments,
  xmpPacket,
  xmpSegment,
} from './test-support/builders.js';

async function withSoftware(software: string, modified?: string) {
  const tiff = phoneExif({
    software,
    captured: '2025:03:01 10:00:00',
    ...(modified ? { modified } : {}),
  });
  return readContainers(withSegments(await plainJpeg(), [exifSegment(tiff)]), 'jpeg');
}

describe('editing software', () => {
  it.each([
    'Adobe Photoshop 25.0 (Windows)',
    'Meitu',
    '美图秀秀',
    'Xingtu',
    '醒图 9.3.0',
    'Snapseed 2.0',
    'PicsArt',
    'Canva',
    'Fotor',
    'BeautyCam',
    'Remini',
    'GIMP 2.10.36',
    'Adobe Photoshop Lightroom Classic 13.1',
  ])('names %s as editing software with medium strength', async (software) => {
    const signal = editingSoftwareSignal(await withSoftware(software));
    expect(signal).toMatchObject({ id: 'provenance.editing_software', strength: 0.5 });
    expect(signal?.reason.en).toContain(software);
  });

  it('adds weight when ModifyDate is later than DateTimeOriginal, and says by how much', async () => {
    const signal = editingSoftwareSignal(await withSoftware('Meitu', '2025:03:01 12:30:00'));
    expect(signal?.strength).toBe(0.7);
    expect(signal?.reason.en).toContain('2 h 30 min after');
    expect(signal?.reason.zh).toContain('2 小时 30 分钟');
  });

  it.each([
    '17.5.1',
    '18.1',
    'MIUI Camera',
    'HDR+ 1.0.641377693zd',
    'MediaTek Camera Application',
    'ALN-AL00 4.2.0.120(C00E110R2P3)',
    'V2309A_A_14.1.10',
    'Google',
    'libvips',
  ])('does not fire on camera firmware string %s', async (software) => {
    expect(
      editingSoftwareSignal(await withSoftware(software, '2025:03:01 12:30:00')),
    ).toBeUndefined();
  });

  it('reads the editor from XMP CreatorTool, XMP history and a PNG Software chunk', async () => {
    const xmp = xmpPacket(
      '<xmp:CreatorTool>Adobe Photoshop 26.0</xmp:CreatorTool><xmpMM:History><rdf:Seq><rdf:li rdf:parseType="Resource"><stEvt:action>saved</stEvt:action><stEvt:softwareAgent>Adobe Photoshop 26.0</stEvt:softwareAgent></rdf:li></rdf:Seq></xmpMM:History>',
      {
        xmp: 'http://ns.adobe.com/xap/1.0/',
        xmpMM: 'http://ns.adobe.com/xap/1.0/mm/',
        stEvt: 'http://ns.adobe.com/xap/1.0/sType/ResourceEvent#',
      },
    );
    const signal = editingSoftwareSignal(
      readContainers(withSegments(await plainJpeg(), [xmpSegment(xmp)]), 'jpeg'),
    );
    expect(signal?.details?.traces).toHaveLength(2);
    const png = readContainers(
      withChunks(await plainPng(), [tEXt('Software', 'Snapseed'), iTXt('Comment', 'hi')]),
      'png',
    );
    expect(editingSoftwareSignal(png)?.reason.en).toContain('PNG tEXt "Software"');
  });

  it('does not mention editors named only in a caption', async () => {
    const xmp = xmpPacket('<dc:description>edited later in Photoshop?</dc:description>', {
      dc: 'http://purl.org/dc/elements/1.1/',
    });
    expect(
      editingSoftwareSignal(
        readContainers(withSegments(await plainJpeg(), [xmpSegment(xmp)]), 'jpeg'),
      ),
    ).toBeUndefined();
  });
});
