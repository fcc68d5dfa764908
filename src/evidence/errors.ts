/**
 * The library's own error, shaped like the application's AppError (a stable
 * code and a kind) so the app can map it without this folder importing it.
 */
export type EvidenceErrorKind = 'invalid' | 'too_large' | 'unsupported';

export type EvidenceErrorCode =
  | 'EVIDENCE_EMPTY'
  | 'EVIDENCE_TOO_LARGE'
  | 'EVIDENCE_TOO_MANY_PIXELS'
  | 'EVIDENCE_UNSUPPORTED_FORMAT'
  | 'EVIDENCE_SVG_REFUSED'
  | 'EVIDENCE_CORRUPT'
  | 'EVIDENCE_METADATA_TOO_LARGE';

export class EvidenceError extends Error {
  override readonly name = 'EvidenceError';

  constructor(
    readonly code: EvidenceErrorCode,
    readonly kind: EvidenceErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
