import { ApiError } from '../api';
import { format, type Lang, type Messages } from './catalogue';

type KnownCode = Exclude<keyof Messages['errors'], 'fallback'>;

function isKnownCode(code: string, t: Messages): code is KnownCode {
  return code !== 'fallback' && Object.hasOwn(t.errors, code);
}

/** Turns any thrown value into a sentence for the user, keyed by the server's stable error code. */
export function describeError(error: unknown, t: Messages, lang: Lang): string {
  if (!(error instanceof ApiError)) {
    // A defect in the console itself, not an answer from the server: keep the cause for developers.
    console.error(error);
    return format(t.errors.fallback, { code: 'WEB_UNEXPECTED' });
  }
  const { code } = error;
  if (!isKnownCode(code, t)) return format(t.errors.fallback, { code });
  if (code === 'AUTH_ACCOUNT_LOCKED') {
    return format(t.errors.AUTH_ACCOUNT_LOCKED, {
      wait: formatWait(retryAfterSeconds(error), lang),
    });
  }
  return t.errors[code];
}

function retryAfterSeconds(error: ApiError): number {
  const details = error.details;
  if (typeof details === 'object' && details !== null && 'retryAfterSeconds' in details) {
    const seconds = details.retryAfterSeconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return seconds;
  }
  // The lock exists even when the server omits the wait; "1 minute" is an honest lower bound.
  return 60;
}

/** Rounds up so the user is never told to retry before the lock has actually lifted. */
function formatWait(seconds: number, lang: Lang): string {
  const [unit, amount] =
    seconds < 60
      ? (['second', Math.ceil(seconds)] as const)
      : seconds < 3600
        ? (['minute', Math.ceil(seconds / 60)] as const)
        : (['hour', Math.ceil(seconds / 3600)] as const);
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(amount);
}
