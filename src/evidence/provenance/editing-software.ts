/**
 * Editors and retouching apps named in software fields. A claim photo
 * should come straight from a camera; phone camera firmware strings
 * (`17.5.1`, `MIUI Camera`, `HDR+ 1.0…`) name no editor and never match.
 */
import type { Signal } from '../model.js';
import { parseExifDateTime } from './capture-time.js';
import type { MetadataBundle } from './model.js';
import { STRENGTH, clip, formatDuration, provenanceSignal } from './signal-kit.js';
import { textSources } from './text-sources.js';
import { XMP_NS, xmpValues } from './xmp.js';

/** Editing and retouching software, with the name shown to reviewers. */
const EDITORS: readonly [RegExp, string][] = [
  [/lightroom/i, 'Adobe Lightroom'], // before Photoshop: "Adobe Photoshop Lightroom Classic"
  [/photoshop/i, 'Adobe Photoshop'],
  [/adobe express/i, 'Adobe Express'],
  [/\bgimp\b/i, 'GIMP'],
  [/美图秀秀|meitu|\bmtxx\b/i, 'Meitu (美图秀秀)'],
  [/美颜相机|beautycam|beauty\s?plus/i, 'BeautyCam (美颜相机)'],
  [/醒图|xingtu|\bhypic\b/i, 'Xingtu (醒图)'],
  [/轻颜|\bulike\b|faceu|激萌/i, 'Ulike/Faceu (轻颜)'],
  [/\bwink\b/i, 'Wink'],
  [/snapseed/i, 'Snapseed'],
  [/picsart/i, 'PicsArt'],
  [/\bcanva\b|可画/i, 'Canva (可画)'],
  [/\bfotor\b/i, 'Fotor'],
  [/remini/i, 'Remini'],
  [/facetune/i, 'Facetune'],
  [/\bpixlr\b/i, 'Pixlr'],
  [/photopea/i, 'Photopea'],
  [/polarr|泼辣修图/i, 'Polarr (泼辣修图)'],
  [/\bvsco\b/i, 'VSCO'],
  [/photodirector/i, 'PhotoDirector'],
  [/affinity photo/i, 'Affinity Photo'],
  [/paint\.net/i, 'Paint.NET'],
  [/\bkrita\b/i, 'Krita'],
  [/pixelmator/i, 'Pixelmator'],
  [/luminar/i, 'Luminar'],
  [/photoroom/i, 'PhotoRoom'],
  [/picwish|佐糖/i, 'PicWish (佐糖)'],
  [/光影魔术手|neo\s?imaging/i, 'nEO iMAGING (光影魔术手)'],
  [/picmonkey/i, 'PicMonkey'],
  [/acdsee/i, 'ACDSee'],
  [/paintshop/i, 'PaintShop Pro'],
  [/topaz/i, 'Topaz'],
  [/inpaint/i, 'Inpaint'],
];

/** An editor named in a software field. */
export interface EditorTrace {
  editor: string;
  where: string;
  value: string;
}

/** Finds editors named in EXIF Software/ProcessingSoftware, XMP CreatorTool and history, IPTC program, PNG Software. */
export function findEditors(bundle: MetadataBundle): EditorTrace[] {
  const out: EditorTrace[] = [];
  const values = textSources(bundle).filter((s) => s.isSoftwareField);
  const generator = bundle.c2pa?.report?.claimGenerator;
  const c2paValues = generator ? [{ where: 'C2PA claim generator', text: generator }] : [];
  const agents = (bundle.c2pa?.report?.actions ?? []).flatMap((a) =>
    a.softwareAgent ? [{ where: 'C2PA softwareAgent', text: a.softwareAgent }] : [],
  );
  for (const { where, text } of [...values, ...c2paValues, ...agents]) {
    const hit = EDITORS.find(([pattern]) => pattern.test(text));
    if (hit && !out.some((t) => t.editor === hit[1] && t.where === where))
      out.push({ editor: hit[1], where, value: clip(text, 80) });
  }
  return out;
}

/** Milliseconds from capture to the last modification, when both are recorded and the edit came later. */
function editDelayMs(bundle: MetadataBundle): number | undefined {
  const f = bundle.exif?.fields;
  const pairs: [string | undefined, string | undefined][] = [
    [f?.dateTimeOriginal ?? f?.createDate, f?.modifyDate],
    [
      xmpValues(bundle.xmp?.properties, XMP_NS.xmp, 'CreateDate')[0],
      xmpValues(bundle.xmp?.properties, XMP_NS.xmp, 'ModifyDate')[0],
    ],
  ];
  for (const [captured, modified] of pairs) {
    const a = captured ? parseExifDateTime(captured) : undefined;
    const b = modified ? parseExifDateTime(modified) : undefined;
    // Both are local clock readings of the same device: compare them as written.
    if (a && b && b.naiveMs - a.naiveMs > 60_000) return b.naiveMs - a.naiveMs;
  }
  return undefined;
}

/** Medium when an editor is named; stronger when the file was modified after it was captured. */
export function editingSoftwareSignal(bundle: MetadataBundle): Signal | undefined {
  const editors = findEditors(bundle);
  const first = editors[0];
  if (!first) return undefined;
  const delay = editDelayMs(bundle);
  const names = [...new Set(editors.map((e) => e.editor))];
  const strength = delay !== undefined ? STRENGTH.fairlyStrong : STRENGTH.medium;
  const d = delay !== undefined ? formatDuration(delay) : undefined;
  const zh =
    `${first.where} 记录了编辑软件「${first.value}」（${first.editor}）。索赔照片应为相机原图，经修图软件处理的照片可能被改动过` +
    (d ? `；修改时间比拍摄时间晚 ${d.zh}。` : '。');
  const en =
    `${first.where} names editing software "${first.value}" (${first.editor}). A claim photo should be a camera original; this one went through an editor` +
    (d ? `, and was modified ${d.en} after it was taken.` : '.');
  return provenanceSignal('editing_software', strength, zh, en, {
    editors: names,
    traces: editors.slice(0, 8),
    modifiedAfterCaptureMs: delay ?? null,
  });
}
