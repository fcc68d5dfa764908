/**
 * China's implicit label for AI-generated content (GB 45438-2025, under the
 * CAC measures in force since 2025-09-01): a JSON object with Label,
 * ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID
 * and ReservedCode2, flat or wrapped in {"AIGC": …}, written to XMP
 * (TC260:AIGC), EXIF text fields or a PNG text chunk keyed AIGC.
 */
import type { Signal } from '../model.js';
import type { MetadataBundle } from './model.js';
import { STRENGTH, provenanceSignal } from './signal-kit.js';
import { textSources, type TextSource } from './text-sources.js';
import { XMP_NS } from './xmp.js';

const LABEL_KEYS = [
  'Label',
  'ContentProducer',
  'ProduceID',
  'ReservedCode1',
  'ContentPropagator',
  'PropagateID',
  'ReservedCode2',
] as const;
type LabelKey = (typeof LABEL_KEYS)[number];
const MAX_JSON_CHARS = 65_536;

/** A decoded implicit label and where it was found. */
export interface AigcLabel {
  where: string;
  /** The Label value as written ("1", "2", "3"), when present. */
  label?: string;
  fields: Partial<Record<LabelKey, string>>;
}

const MEANING: Record<string, { zh: string; en: string; strength: number }> = {
  '1': { zh: '人工智能生成合成内容', en: 'AI-generated content', strength: STRENGTH.veryStrong },
  '2': { zh: '可能为人工智能生成合成内容', en: 'possibly AI-generated', strength: STRENGTH.strong },
  '3': { zh: '疑似人工智能生成合成内容', en: 'suspected AI-generated', strength: STRENGTH.medium },
};

/** Finds every implicit label in the bundle, strongest first. */
export function findAigcLabels(bundle: MetadataBundle): AigcLabel[] {
  const found: AigcLabel[] = [];
  const struct = xmpStructLabel(bundle);
  if (struct) found.push(struct);
  for (const source of textSources(bundle)) {
    // Fields of the struct form were read together above.
    if (struct && source.ns === XMP_NS.tc260 && isLabelKey(source.key)) continue;
    const isDedicated = isDedicatedField(source);
    // Elsewhere only text that names the label's keys is worth parsing.
    if (
      !isDedicated &&
      !/ContentProducer|ProduceID|"?AIGC"?\s*[:=]|"?Label"?\s*[:=]/i.test(source.text)
    )
      continue;
    const label = parseLabel(source.text, source.where, isDedicated);
    if (label) found.push(label);
    else if (isDedicated && source.text.trim()) found.push({ where: source.where, fields: {} });
  }
  return found.sort((a, b) => rank(b) - rank(a));
}

function isLabelKey(name: string): boolean {
  return LABEL_KEYS.some((k) => k.toLowerCase() === name.toLowerCase());
}

/** The label written as an XMP struct: `TC260:Label`, `TC260:ContentProducer`, … as separate properties. */
function xmpStructLabel(bundle: MetadataBundle): AigcLabel | undefined {
  const fields: Partial<Record<LabelKey, string>> = {};
  for (const p of bundle.xmp?.properties ?? []) {
    const key =
      p.ns === XMP_NS.tc260
        ? LABEL_KEYS.find((k) => k.toLowerCase() === p.name.toLowerCase())
        : undefined;
    if (key && fields[key] === undefined) fields[key] = p.value;
  }
  if (Object.keys(fields).length === 0) return undefined;
  const label: AigcLabel = { where: 'XMP TC260:AIGC (struct)', fields };
  if (fields.Label) label.label = fields.Label.trim();
  return label;
}

function isDedicatedField(source: TextSource): boolean {
  if (source.ns === XMP_NS.tc260) return true;
  return !source.ns && source.key.toUpperCase() === 'AIGC';
}

function rank(label: AigcLabel): number {
  return label.label ? (MEANING[label.label]?.strength ?? STRENGTH.medium) : STRENGTH.medium - 0.01;
}

/**
 * Parses label JSON; in a field dedicated to the label (`isDedicated`) a
 * lenient `Label=1` form is accepted too. Undefined when the text is no label.
 */
export function parseLabel(
  text: string,
  where: string,
  isDedicated: boolean,
): AigcLabel | undefined {
  const extracted = extractObject(text);
  const fields: Partial<Record<LabelKey, string>> = {};
  if (extracted) {
    for (const key of LABEL_KEYS) {
      const value = lookup(extracted.object, key);
      if (value !== undefined) fields[key] = value;
    }
    // Outside a dedicated field, a bare {"Label": …} is too common a shape to trust.
    const isConvincing = isDedicated || extracted.isWrapped || Object.keys(fields).length >= 2;
    if (!isConvincing) return undefined;
  } else if (isDedicated) {
    // Not JSON: accept `"Label":"1"`, `Label=1` and similar spellings.
    for (const key of LABEL_KEYS) {
      const m = new RegExp(`\\b${key}\\b["']?\\s*[:=]\\s*["']?([^"',;}\\s]*)`, 'i').exec(text);
      if (m) fields[key] = m[1] ?? '';
    }
  }
  const keyCount = Object.keys(fields).length;
  if (fields.Label === undefined && keyCount < 2) return undefined;
  const label: AigcLabel = { where, fields };
  if (fields.Label) label.label = fields.Label.trim();
  return label;
}

function extractObject(
  text: string,
): { object: Record<string, unknown>; isWrapped: boolean } | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start || end - start > MAX_JSON_CHARS) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  // The label may be wrapped: {"AIGC": {...}} or {"AIGC": "{...}"}.
  const wrapped = Object.entries(parsed).find(([k]) => k.toUpperCase() === 'AIGC')?.[1];
  if (isRecord(wrapped)) return { object: wrapped, isWrapped: true };
  if (typeof wrapped === 'string') {
    const inner = extractObject(wrapped);
    if (inner) return { object: inner.object, isWrapped: true };
  }
  return { object: parsed, isWrapped: false };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lookup(object: Record<string, unknown>, key: string): string | undefined {
  const hit = Object.entries(object).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!hit) return undefined;
  const value = hit[1];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** One signal for the strongest label found (all locations in details), or none. */
export function aigcLabelSignal(bundle: MetadataBundle): Signal | undefined {
  const labels = findAigcLabels(bundle);
  const best = labels[0];
  if (!best) return undefined;
  const meaning = best.label ? MEANING[best.label] : undefined;
  const producer = best.fields.ContentProducer;
  const produceId = best.fields.ProduceID;
  const propagator = best.fields.ContentPropagator;
  const zhParts = [`位置：${best.where}`];
  const enParts = [`in ${best.where}`];
  if (best.label !== undefined) {
    zhParts.push(`Label=${best.label}（${meaning?.zh ?? '取值不在标准范围内'}）`);
    enParts.push(`Label=${best.label} (${meaning?.en ?? 'value outside the standard'})`);
  }
  if (producer) {
    zhParts.push(`生成合成服务提供者 ${producer}`);
    enParts.push(`producer ${producer}`);
  }
  if (produceId) {
    zhParts.push(`内容制作编号 ${produceId}`);
    enParts.push(`ProduceID ${produceId}`);
  }
  if (propagator) {
    zhParts.push(`传播服务提供者 ${propagator}`);
    enParts.push(`propagator ${propagator}`);
  }
  const isReadable = Object.keys(best.fields).length > 0;
  const zh = isReadable
    ? `元数据带有 GB 45438-2025 规定的人工智能生成合成内容隐式标识（${zhParts.join('，')}）。`
    : `元数据中存在 AIGC 隐式标识字段（${best.where}），但内容无法解析。`;
  const en = isReadable
    ? `The metadata carries China's implicit AI-generated-content label (GB 45438-2025) ${enParts.join(', ')}.`
    : `The metadata has an AIGC implicit-label field (${best.where}) whose content could not be parsed.`;
  return provenanceSignal('aigc_label', meaning?.strength ?? STRENGTH.medium, zh, en, {
    label: best.label ?? null,
    contentProducer: producer ?? null,
    produceId: produceId ?? null,
    contentPropagator: propagator ?? null,
    propagateId: best.fields.PropagateID ?? null,
    locations: labels.map((l) => ({ where: l.where, label: l.label ?? null })),
  });
}
