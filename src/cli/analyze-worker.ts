import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { analyzeEvidence, EvidenceError } from '../evidence/index.js';

/** One case of a batch, as the pool sends it to a worker. */
export interface BatchCase {
  id: string;
  claim: string;
  references: string[];
  deliveredAt?: string;
}

/** What a worker answers: the report's essentials, or the error's code. */
export type BatchResult =
  | {
      id: string;
      claim: string;
      score: number;
      verdict: string;
      regions: unknown[];
      signals: unknown[];
      timings_ms: Record<string, number>;
    }
  | { id: string; claim: string; error: { code: string; message: string } };

async function analyse(job: BatchCase): Promise<BatchResult> {
  try {
    const deliveredAt = job.deliveredAt ? new Date(job.deliveredAt) : undefined;
    const { report } = await analyzeEvidence(fs.readFileSync(job.claim), {
      references: job.references.map((file) => ({ bytes: fs.readFileSync(file), label: file })),
      ...(deliveredAt && !Number.isNaN(deliveredAt.getTime()) ? { deliveredAt } : {}),
    });
    return {
      id: job.id,
      claim: job.claim,
      score: report.score,
      verdict: report.verdict,
      regions: report.regions,
      signals: report.signals,
      timings_ms: report.timings_ms,
    };
  } catch (error) {
    const code =
      error instanceof EvidenceError
        ? error.code
        : ((error as { code?: string }).code ?? 'EVIDENCE_FAILED');
    return {
      id: job.id,
      claim: job.claim,
      error: { code, message: (error as Error).message ?? String(error) },
    };
  }
}

parentPort?.on('message', (job: BatchCase) => {
  void analyse(job).then((result) => parentPort?.postMessage(result));
});
