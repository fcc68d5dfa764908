/**
 * What a C2PA manifest says about the claim photo. A declared AI source is
 * the strongest provenance evidence there is; a manifest that no longer
 * matches the file means it was changed after signing; an intact camera
 * manifest speaks for the photo and is reported with strength 0.
 */
import type { Signal } from '../model.js';
import { latin1 } from './bytes.js';
import type { C2paAction, C2paReport, MetadataBundle } from './model.js';
import { STRENGTH, clip, provenanceSignal } from './signal-kit.js';

const AI_SOURCE = /\/(trainedAlgorithmicMedia|compositeWithTrainedAlgorithmicMedia)$/i;
const SYNTHETIC_SOURCE = /\/(algorithmicMedia|compositeSynthetic)$/i;
const CAPTURE_SOURCE = /\/(digitalCapture|computationalCapture)$/i;
/** Actions that change what the picture shows (colour, crop and resize do not). */
const CONTENT_EDITS = new Set([
  'c2pa.edited',
  'c2pa.drawing',
  'c2pa.placed',
  'c2pa.removed',
  'c2pa.filtered',
  'c2pa.edited.metadata',
]);
/** Failures about the certificate or timestamp only; every other failure means the signed content changed. */
const CREDENTIAL_FAILURE = /^(signingCredential|timeStamp)\.|outsideValidity/;

/** Signals from the C2PA manifest store, if the file has one. */
export function c2paSignals(bundle: MetadataBundle): Signal[] {
  const c2pa = bundle.c2pa;
  if (!c2pa) return [];
  const report = c2pa.report;
  const signals: Signal[] = [];
  const ai = report ? aiSignal(report) : rawAiSignal(c2pa.jumbf);
  if (ai) signals.push(ai);
  if (!report) return signals;
  const base = {
    state: report.state,
    claimGenerator: report.claimGenerator ?? null,
    signer: report.signerIssuer ?? null,
    failureCodes: report.failureCodes,
    ingredientFailureCodes: report.ingredientFailureCodes,
    actions: [...new Set(report.actions.filter((a) => a.isActive).map((a) => a.action))],
    manifestCount: report.manifestCount,
    source: c2pa.source,
  };
  const generator = report.claimGenerator ? clip(report.claimGenerator, 60) : 'unknown';
  switch (report.state) {
    case 'invalid': {
      const isIntegrity = (c: string): boolean => !CREDENTIAL_FAILURE.test(c);
      const activeBroken = report.failureCodes.some(isIntegrity);
      const ingredientBroken = report.ingredientFailureCodes.some(isIntegrity);
      const codes =
        [...new Set([...report.failureCodes, ...report.ingredientFailureCodes])].join(', ') ||
        'unspecified';
      if (activeBroken || (!ingredientBroken && report.failureCodes.length === 0)) {
        signals.push(
          provenanceSignal(
            'c2pa_invalid',
            STRENGTH.medium,
            `C2PA 内容凭证（生成者 ${generator}）校验失败：${codes}。签名之后文件或声明被改动过。`,
            `The C2PA manifest (generator ${generator}) fails validation: ${codes}. The file or its claim changed after signing.`,
            base,
          ),
        );
      } else if (ingredientBroken) {
        signals.push(
          provenanceSignal(
            'c2pa_invalid',
            STRENGTH.weakMedium,
            `C2PA 内容凭证（生成者 ${generator}）本身完整，但其素材（ingredient）的凭证校验失败：${codes}。`,
            `The C2PA manifest (generator ${generator}) is intact, but an ingredient's manifest fails validation: ${codes}.`,
            base,
          ),
        );
      } else {
        signals.push(
          provenanceSignal(
            'c2pa_invalid',
            STRENGTH.weak,
            `C2PA 内容凭证（生成者 ${generator}）的内容完整，但签名证书有问题：${codes}。`,
            `The C2PA manifest (generator ${generator}) is intact, but its signing credential fails: ${codes}.`,
            base,
          ),
        );
      }
      break;
    }
    case 'unreadable':
      signals.push(
        provenanceSignal(
          'c2pa_invalid',
          STRENGTH.weak,
          `文件带有 C2PA 内容凭证，但无法读取（${clip(report.error ?? 'unknown error', 80)}）。`,
          `The file carries a C2PA manifest that cannot be read (${clip(report.error ?? 'unknown error', 80)}).`,
          base,
        ),
      );
      break;
    case 'valid':
    case 'untrusted': {
      if (ai) break;
      const edits = report.actions
        .filter((a) => a.isActive && CONTENT_EDITS.has(a.action))
        .map((a) => a.action);
      const trust =
        report.state === 'valid'
          ? { zh: '签名可信', en: 'signed by a trusted signer' }
          : { zh: '签名者不在信任列表中', en: 'signer not on a trust list we hold' };
      if (edits.length > 0) {
        signals.push(
          provenanceSignal(
            'c2pa_edited',
            STRENGTH.moderate,
            `C2PA 内容凭证完整（${trust.zh}，生成者 ${generator}），并声明了修改内容的操作：${[...new Set(edits)].join('、')}。`,
            `The C2PA manifest is intact (${trust.en}, generator ${generator}) and declares content edits: ${[...new Set(edits)].join(', ')}.`,
            base,
          ),
        );
      } else {
        const isCapture = report.actions.some(
          (a) => a.isActive && a.digitalSourceType && CAPTURE_SOURCE.test(a.digitalSourceType),
        );
        signals.push(
          provenanceSignal(
            'c2pa_intact',
            STRENGTH.none,
            `C2PA 内容凭证完整（${trust.zh}，生成者 ${generator}）${isCapture ? '，声明为相机拍摄' : ''}，未声明修改内容的操作。`,
            `The C2PA manifest is intact (${trust.en}, generator ${generator})${isCapture ? ', declaring a camera capture' : ''}, with no content edits declared.`,
            { ...base, declaresCapture: isCapture },
          ),
        );
      }
      break;
    }
  }
  return signals;
}

function aiSignal(report: C2paReport): Signal | undefined {
  const ai = report.actions.filter(
    (a) => a.digitalSourceType && AI_SOURCE.test(a.digitalSourceType),
  );
  const synthetic = report.actions.filter(
    (a) => a.digitalSourceType && SYNTHETIC_SOURCE.test(a.digitalSourceType),
  );
  const hits: C2paAction[] = ai.length > 0 ? ai : synthetic;
  const first = hits.find((a) => a.isActive) ?? hits[0];
  if (!first?.digitalSourceType) return undefined;
  const type = first.digitalSourceType.split('/').pop() ?? first.digitalSourceType;
  const isTrained = ai.length > 0;
  const strength = isTrained
    ? first.isActive
      ? STRENGTH.veryStrong
      : STRENGTH.strongPlus
    : STRENGTH.strong;
  const where = first.isActive
    ? { zh: '当前清单', en: 'the active manifest' }
    : { zh: '其素材（ingredient）的清单', en: "an ingredient's manifest" };
  const agent = first.softwareAgent ?? report.claimGenerator ?? 'unknown';
  const validity =
    report.state === 'invalid'
      ? {
          zh: '（清单本身校验失败，但声明仍在）',
          en: ' (the manifest itself fails validation, but the declaration stands)',
        }
      : { zh: '', en: '' };
  return provenanceSignal(
    'c2pa_ai_generated',
    strength,
    `C2PA 内容凭证在${where.zh}中声明 ${first.action}，digitalSourceType=${type}，即由${isTrained ? '生成式 AI 模型' : '算法'}生成；工具：${clip(agent, 60)}${validity.zh}。`,
    `The C2PA manifest declares ${first.action} with digitalSourceType ${type} in ${where.en}, i.e. made by ${isTrained ? 'a trained AI model' : 'an algorithm'}; tool: ${clip(agent, 60)}${validity.en}.`,
    {
      digitalSourceType: first.digitalSourceType,
      action: first.action,
      softwareAgent: agent,
      isActiveManifest: first.isActive,
      state: report.state,
    },
  );
}

/** Without the validator, the source-type URL is still visible in the manifest's CBOR. */
function rawAiSignal(jumbf: Uint8Array): Signal | undefined {
  const text = latin1(jumbf, 0, Math.min(jumbf.length, 4 << 20));
  const m =
    /digitalsourcetype\/(compositeWithTrainedAlgorithmicMedia|trainedAlgorithmicMedia)/i.exec(text);
  if (!m) return undefined;
  return provenanceSignal(
    'c2pa_ai_generated',
    STRENGTH.strong,
    `C2PA 内容凭证（未校验）中出现 digitalSourceType=${m[1]}，声明由生成式 AI 模型生成。`,
    `The (unvalidated) C2PA manifest contains digitalSourceType ${m[1]}, declaring AI-generated content.`,
    { digitalSourceType: m[1], validated: false },
  );
}
