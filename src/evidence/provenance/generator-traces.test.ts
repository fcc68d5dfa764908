import { describe, expect, it } from 'vitest';
import { generatorTraceSignal } from './generator-traces.js';
import { readContainers } from './read-metadata.js';
import {
  ascii,
  commentSegment,
  exifSegment,
  iTXt,
  iptcSegment,
  phoneExif,
  plainJpeg,
  plainPng,
  tEXt,
  userComment,
  withChunks,
  withSegments,
  xmpPacket,
  xmpSegment,
  zTXt,
} from './test-support/builders.js';

const A1111 =
  'a photo of a cracked ceramic mug, detailed\nNegative prompt: blurry, lowres\nSteps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567890, Size: 768x512, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.7.0';

async function png(...chunks: Uint8Array[]) {
  return readContainers(withChunks(await plainPng(), chunks), 'png');
}

describe('generator traces', () => {
  it('recognises Stable Diffusion WebUI parameters and reports steps, sampler, seed and model', async () => {
    const signal = generatorTraceSignal(await png(tEXt('parameters', A1111)));
    expect(signal).toMatchObject({ id: 'provenance.generator_trace', strength: 0.8 });
    expect(signal?.reason.en).toContain('Stable Diffusion WebUI');
    expect(signal?.reason.en).toContain('Seed: 1234567890');
    expect(signal?.reason.zh).toContain('PNG tEXt "parameters"');
  });

  it('recognises WebUI parameters saved in a JPEG UserComment (UNICODE) and in a COM segment', async () => {
    const jpeg = withSegments(await plainJpeg(), [
      exifSegment(phoneExif({ extraExif: [userComment(A1111, 'UNICODE-BE')] })),
    ]);
    expect(generatorTraceSignal(readContainers(jpeg, 'jpeg'))?.details?.tools).toEqual([
      'Stable Diffusion WebUI',
    ]);
    const com = withSegments(await plainJpeg(), [commentSegment(A1111)]);
    expect(generatorTraceSignal(readContainers(com, 'jpeg'))?.strength).toBe(0.8);
  });

  it('recognises ComfyUI prompt and workflow graphs, compressed or not', async () => {
    const prompt = JSON.stringify({
      '3': { class_type: 'KSampler', inputs: { seed: 42, steps: 20 } },
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sdxl.safetensors' } },
    });
    const workflow = JSON.stringify({
      nodes: [{ id: 3, type: 'KSampler' }],
      links: [[1, 4, 0, 3, 0, 'MODEL']],
    });
    const signal = generatorTraceSignal(
      await png(zTXt('prompt', prompt), iTXt('workflow', workflow, true)),
    );
    expect(signal?.details?.tools).toEqual(['ComfyUI']);
    expect(signal?.reason.en).toContain('sdxl.safetensors');
  });

  it('recognises NovelAI and InvokeAI records', async () => {
    const nai = await png(
      tEXt('Software', 'NovelAI'),
      tEXt('Comment', '{"steps": 28, "sampler": "k_euler_ancestral", "seed": 99, "uc": "lowres"}'),
    );
    expect(generatorTraceSignal(nai)?.details?.tools).toEqual(expect.arrayContaining(['NovelAI']));
    const invoke = await png(tEXt('invokeai_metadata', '{"positive_prompt": "a mug"}'));
    expect(generatorTraceSignal(invoke)?.details?.tools).toEqual(['InvokeAI']);
  });

  it('recognises AI tools in XMP CreatorTool, IPTC program and EXIF Software', async () => {
    const xmp = xmpPacket('<xmp:CreatorTool>Midjourney</xmp:CreatorTool>', {
      xmp: 'http://ns.adobe.com/xap/1.0/',
    });
    expect(
      generatorTraceSignal(
        readContainers(withSegments(await plainJpeg(), [xmpSegment(xmp)]), 'jpeg'),
      )?.reason.en,
    ).toContain('Midjourney');
    const iptc = withSegments(await plainJpeg(), [iptcSegment([[2, 65, '即梦AI']])]);
    expect(generatorTraceSignal(readContainers(iptc, 'jpeg'))?.reason.en).toContain('Jimeng');
    const exif = withSegments(await plainJpeg(), [
      exifSegment(phoneExif({ software: 'Adobe Firefly' })),
    ]);
    expect(generatorTraceSignal(readContainers(exif, 'jpeg'))?.strength).toBe(0.8);
  });

  it('rates an IPTC DigitalSourceType of trainedAlgorithmicMedia in XMP as stronger than a tool name', async () => {
    const xmp = xmpPacket(
      '<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>',
      {
        Iptc4xmpExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
      },
    );
    const signal = generatorTraceSignal(
      readContainers(withSegments(await plainJpeg(), [xmpSegment(xmp)]), 'jpeg'),
    );
    expect(signal?.strength).toBe(0.9);
    expect(signal?.reason.en).toContain('trainedAlgorithmicMedia');
  });

  it('does not fire on camera metadata, captions mentioning AI tools, or a digitalCapture source type', async () => {
    const xmp = xmpPacket(
      '<dc:description>Poster from Midjourney fan club; Steps: 3 to open the box</dc:description><Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture</Iptc4xmpExt:DigitalSourceType>',
      {
        dc: 'http://purl.org/dc/elements/1.1/',
        Iptc4xmpExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
      },
    );
    const jpeg = withSegments(await plainJpeg(), [
      exifSegment(
        phoneExif({
          software: 'HDR+ 1.0.641377693zd',
          extraIfd0: [ascii(0x010e, 'Midjourney poster')],
        }),
      ),
      xmpSegment(xmp),
    ]);
    expect(generatorTraceSignal(readContainers(jpeg, 'jpeg'))).toBeUndefined();
  });
});
