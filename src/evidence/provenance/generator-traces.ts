/**
 * Traces that image generators leave in metadata: Stable Diffusion WebUI
 * `parameters`, ComfyUI prompt/workflow graphs, NovelAI and InvokeAI
 * records, AI tool names in software fields, and the IPTC digital source
 * type that declares trained-algorithmic media.
 */
import type { Signal } from '../model.js';
import type { MetadataBundle } from './model.js';
import { STRENGTH, clip, provenanceSignal } from './signal-kit.js';
import { textSources, type TextSource } from './text-sources.js';

/** One generator trace: which tool, where, and the fields that prove it. */
export interface GeneratorTrace {
  tool: string;
  where: string;
  strength: number;
  evidence: string;
  fields?: Record<string, string>;
}

/** AI image services and tools, matched only in software fields (a caption may mention any of them). */
const AI_TOOLS: readonly [RegExp, string][] = [
  [/midjourney/i, 'Midjourney'],
  [/dall[\s·.-]?e/i, 'DALL·E'],
  [/\bopenai\b|chatgpt|\bgpt-?4o\b|gpt-image/i, 'OpenAI'],
  [/firefly/i, 'Adobe Firefly'],
  [/stable[\s-]?diffusion|\bsdxl\b|dreamstudio|stability\s?ai/i, 'Stable Diffusion'],
  [/comfyui/i, 'ComfyUI'],
  [/novelai/i, 'NovelAI'],
  [/invokeai/i, 'InvokeAI'],
  [/fooocus/i, 'Fooocus'],
  [/automatic1111|stable-diffusion-webui|\bforge\b.*webui/i, 'Stable Diffusion WebUI'],
  [/leonardo\.?ai/i, 'Leonardo.Ai'],
  [/ideogram/i, 'Ideogram'],
  [/\bflux(\.1)?\b.*\b(dev|schnell|pro)\b|black forest labs/i, 'FLUX'],
  [/\bimagen\b|gemini/i, 'Google Imagen/Gemini'],
  [/bing image creator|image creator from microsoft/i, 'Bing Image Creator'],
  [/即梦|jimeng|dreamina/i, 'Jimeng (即梦)'],
  [/豆包|doubao/i, 'Doubao (豆包)'],
  [/通义万相|tongyi\s?wanxiang|\bwanx\b/i, 'Tongyi Wanxiang (通义万相)'],
  [/文心一格|ernie-?vilg|yige/i, 'Wenxin Yige (文心一格)'],
  [/可灵|kling\s?ai|\bkolors\b|可图/i, 'Kuaishou Kling/Kolors'],
  [/混元|hunyuan/i, 'Tencent Hunyuan (混元)'],
  [/海螺|hailuo|minimax/i, 'MiniMax Hailuo (海螺)'],
  [/liblib|哩布/i, 'LiblibAI'],
  [
    /seaart|tensor\.art|nightcafe|craiyon|playground\s?ai|krea\.ai|draw things|diffusionbee|artbreeder/i,
    'AI image service',
  ],
];

/** IPTC digital source types that declare algorithmic (not photographic) origin. */
const AI_SOURCE_TYPES: readonly [RegExp, number, string][] = [
  [
    /compositeWithTrainedAlgorithmicMedia/i,
    STRENGTH.declared,
    'compositeWithTrainedAlgorithmicMedia',
  ],
  [/trainedAlgorithmicMedia/i, STRENGTH.declared, 'trainedAlgorithmicMedia'],
  [/compositeSynthetic/i, STRENGTH.strong, 'compositeSynthetic'],
  [/\balgorithmicMedia/i, STRENGTH.strong, 'algorithmicMedia'],
];

/** Finds every generator trace in the bundle's text values. */
export function findGeneratorTraces(bundle: MetadataBundle): GeneratorTrace[] {
  const traces: GeneratorTrace[] = [];
  for (const source of textSources(bundle)) {
    const trace =
      sourceTypeTrace(source) ??
      webUiTrace(source) ??
      comfyTrace(source) ??
      recordTrace(source) ??
      toolNameTrace(source);
    if (trace) traces.push(trace);
  }
  return traces.sort((a, b) => b.strength - a.strength);
}

function sourceTypeTrace(source: TextSource): GeneratorTrace | undefined {
  const isDstField =
    /digitalsourcetype/i.test(source.key) || /digitalsourcetype\//i.test(source.text);
  if (!isDstField) return undefined;
  for (const [pattern, strength, name] of AI_SOURCE_TYPES) {
    if (pattern.test(source.text)) {
      return {
        tool: `IPTC DigitalSourceType ${name}`,
        where: source.where,
        strength,
        evidence: clip(source.text, 120),
      };
    }
  }
  return undefined;
}

/** AUTOMATIC1111-style text: prompt, `Negative prompt:`, then `Steps: …, Sampler: …, Seed: …`. */
function webUiTrace(source: TextSource): GeneratorTrace | undefined {
  const text = source.text;
  if (!/\bSteps:\s*\d+/.test(text) || !/\b(Sampler|Seed|CFG scale):/.test(text)) return undefined;
  const fields: Record<string, string> = {};
  for (const key of [
    'Steps',
    'Sampler',
    'CFG scale',
    'Seed',
    'Size',
    'Model hash',
    'Model',
    'Version',
  ]) {
    const m = new RegExp(`(?:^|[,\\n]\\s*)${key}:\\s*([^,\\n]+)`).exec(text);
    if (m?.[1]) fields[key] = m[1].trim();
  }
  const prompt = text.split(/\n(?:Negative prompt:|Steps:)/)[0];
  if (prompt) fields.prompt = clip(prompt, 120);
  const tool = /Fooocus/i.test(text) ? 'Fooocus' : 'Stable Diffusion WebUI';
  return {
    tool,
    where: source.where,
    strength: STRENGTH.strong,
    evidence: 'generation parameters (Steps/Sampler/Seed)',
    fields,
  };
}

/** ComfyUI stores its node graph: `prompt` (nodes with class_type) and `workflow` (nodes and links). */
function comfyTrace(source: TextSource): GeneratorTrace | undefined {
  const text = source.text;
  const isPromptGraph = /"class_type"\s*:/.test(text) && /"inputs"\s*:/.test(text);
  const isWorkflow = /"nodes"\s*:\s*\[/.test(text) && /"links"\s*:\s*\[/.test(text);
  if (!isPromptGraph && !isWorkflow) return undefined;
  const fields: Record<string, string> = {};
  const ckpt = /"ckpt_name"\s*:\s*"([^"]{1,200})"/.exec(text);
  if (ckpt?.[1]) fields.checkpoint = ckpt[1];
  const seed = /"(?:noise_)?seed"\s*:\s*(\d{1,20})/.exec(text);
  if (seed?.[1]) fields.seed = seed[1];
  return {
    tool: 'ComfyUI',
    where: source.where,
    strength: STRENGTH.strong,
    evidence: isPromptGraph
      ? 'node graph with class_type entries'
      : 'workflow with nodes and links',
    fields,
  };
}

/** NovelAI and InvokeAI write their own keys. */
function recordTrace(source: TextSource): GeneratorTrace | undefined {
  const key = source.key.toLowerCase();
  const text = source.text;
  if (/^(invokeai_metadata|invokeai_graph|sd-metadata|dream)$/.test(key)) {
    return {
      tool: 'InvokeAI',
      where: source.where,
      strength: STRENGTH.strong,
      evidence: `key "${source.key}"`,
    };
  }
  if (key === 'fooocus_scheme') {
    return {
      tool: 'Fooocus',
      where: source.where,
      strength: STRENGTH.strong,
      evidence: `key "${source.key}"`,
    };
  }
  if (key === 'comment' && /"steps"\s*:/.test(text) && /"sampler"\s*:/.test(text)) {
    const fields: Record<string, string> = {};
    const seed = /"seed"\s*:\s*(\d{1,20})/.exec(text);
    if (seed?.[1]) fields.seed = seed[1];
    return {
      tool: 'NovelAI',
      where: source.where,
      strength: STRENGTH.strong,
      evidence: 'Comment JSON with steps and sampler',
      fields,
    };
  }
  // Midjourney PNGs carry the job id in the description.
  if (/\bJob ID:\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(text)) {
    return {
      tool: 'Midjourney',
      where: source.where,
      strength: STRENGTH.strong,
      evidence: 'Midjourney job id',
    };
  }
  return undefined;
}

function toolNameTrace(source: TextSource): GeneratorTrace | undefined {
  if (!source.isSoftwareField) return undefined;
  for (const [pattern, tool] of AI_TOOLS) {
    if (pattern.test(source.text)) {
      return {
        tool,
        where: source.where,
        strength: STRENGTH.strong,
        evidence: clip(source.text, 80),
      };
    }
  }
  return undefined;
}

/** One signal for the generator traces found (strongest leads), or none. */
export function generatorTraceSignal(bundle: MetadataBundle): Signal | undefined {
  const traces = findGeneratorTraces(bundle);
  const best = traces[0];
  if (!best) return undefined;
  const extra = best.fields ? Object.entries(best.fields).filter(([k]) => k !== 'prompt') : [];
  const facts =
    extra.length > 0 ? extra.map(([k, v]) => `${k}: ${clip(v, 40)}`).join(', ') : best.evidence;
  const tools = [...new Set(traces.map((t) => t.tool))];
  return provenanceSignal(
    'generator_trace',
    best.strength,
    `元数据中有 AI 生成工具的痕迹：${best.where} 显示为 ${best.tool}（${facts}）。真实拍摄的照片不会带有这些生成参数。`,
    `The metadata holds an AI generator's trace: ${best.where} points to ${best.tool} (${facts}). A camera photo does not carry generation parameters.`,
    { tools, traces: traces.slice(0, 8) },
  );
}
