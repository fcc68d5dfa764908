import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  analyzeEvidence,
  EvidenceError,
  renderOverlay,
  type EvidenceReport,
} from '../evidence/index.js';
import { AppError } from '../kernel/index.js';
import { runBatch } from './analyze-batch.js';

interface AnalyzeFlags {
  reference: string[];
  deliveredAt?: string;
  json?: boolean;
  overlay?: string;
  batch?: string;
  out?: string;
  jobs?: string;
}

/** The JSON form of a report, as `--json` prints it. */
export function reportJson(report: EvidenceReport): string {
  return JSON.stringify({
    score: report.score,
    verdict: report.verdict,
    regions: report.regions,
    signals: report.signals,
    claim: report.claim,
    engineVersion: report.engineVersion,
    timings_ms: report.timings_ms,
  });
}

/** A readable report: the verdict, then each finding that carries weight, in both languages. */
export function reportText(report: EvidenceReport, file: string): string {
  const lines = [
    `${file}`,
    `  score ${report.score.toFixed(3)}  verdict ${report.verdict}  (${report.claim.format} ${report.claim.width}×${report.claim.height})`,
  ];
  const findings = report.signals.filter((s) => s.strength > 0);
  if (findings.length === 0) lines.push('  no finding / 未发现异常');
  for (const s of findings) {
    lines.push(
      `  [${s.strength.toFixed(2)}] ${s.id}`,
      `      ${s.reason.zh}`,
      `      ${s.reason.en}`,
    );
  }
  for (const r of report.regions) lines.push(`  region x=${r.x} y=${r.y} w=${r.w} h=${r.h}`);
  lines.push(
    `  ${Object.entries(report.timings_ms)
      .map(([k, v]) => `${k}=${v}ms`)
      .join(' ')}`,
  );
  return lines.join('\n');
}

function readInput(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new AppError(
      'CLI_FILE_UNREADABLE',
      'invalid',
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

export function parseDeliveredAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new AppError(
      'CLI_OPTION_INVALID',
      'invalid',
      '--delivered-at must be an ISO 8601 instant, e.g. 2025-03-14T15:22:07+08:00',
    );
  }
  return date;
}

/** EvidenceError is the library's; the CLI speaks AppError so exit codes come from one table. */
export function asAppError(error: unknown): unknown {
  if (error instanceof EvidenceError)
    return new AppError(error.code, error.kind, error.message, error.details);
  return error;
}

/** Registers `anxin analyze`. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description(
      'check a claim photo against the merchant’s reference photos and report how likely it is fabricated',
    )
    .argument('[claim]', 'the claim photo (JPEG, PNG, WebP, AVIF, HEIC, GIF)')
    .option(
      '-r, --reference <file>',
      'a reference photo of the merchant (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--delivered-at <iso>', 'when the order was delivered (ISO 8601)')
    .option('--json', 'print one JSON object')
    .option(
      '--overlay <out.png>',
      'write the claim with changed regions beside the aligned reference',
    )
    .option(
      '--batch <cases>',
      'analyse many cases: a JSON list of {claim, references, delivered_at} or a directory of images',
    )
    .option('--out <file>', 'with --batch: write JSON lines here instead of stdout')
    .option('--jobs <n>', 'with --batch: worker threads (default: CPU count)')
    .action(async (claimFile: string | undefined, flags: AnalyzeFlags) => {
      if (flags.batch) {
        await runBatch({ source: flags.batch, out: flags.out, jobs: flags.jobs });
        return;
      }
      if (!claimFile)
        throw new AppError('CLI_OPTION_INVALID', 'invalid', 'Give a claim photo, or --batch');
      const deliveredAt = parseDeliveredAt(flags.deliveredAt);
      try {
        const { report, artifacts } = await analyzeEvidence(readInput(claimFile), {
          references: flags.reference.map((file) => ({
            bytes: readInput(file),
            label: path.basename(file),
          })),
          ...(deliveredAt ? { deliveredAt } : {}),
        });
        if (flags.overlay) {
          const png = await renderOverlay({
            claim: artifacts.claimAnalysis,
            regions: report.regions,
            originalSize: { width: report.claim.width, height: report.claim.height },
            ...(artifacts.alignedReference
              ? { companion: artifacts.alignedReference }
              : artifacts.changeMap
                ? { companion: artifacts.changeMap }
                : {}),
          });
          fs.writeFileSync(flags.overlay, png);
        }
        process.stdout.write(
          `${flags.json ? reportJson(report) : reportText(report, claimFile)}\n`,
        );
      } catch (error) {
        const mapped = asAppError(error);
        if (flags.json && mapped instanceof AppError) {
          process.stdout.write(
            `${JSON.stringify({ error: { code: mapped.code, message: mapped.message } })}\n`,
          );
        }
        throw mapped;
      }
    });
}
