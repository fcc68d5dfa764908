/**
 * Normalisation before blind indexing: the same phone number written in
 * different ways ("+86 138-1234-5678", full-width digits) must index equally.
 */
export function toHalfWidth(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

export function normalizePhone(value: string): string {
  let digits = toHalfWidth(value).replace(/[^\d+]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return digits.replace(/\+/g, '');
}

/** True for mainland mobile numbers and landlines with area code (7 to 12 digits after normalising). */
export function isPlausiblePhone(value: string): boolean {
  const digits = normalizePhone(value);
  return /^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits) || /^\d{7,8}$/.test(digits);
}

export function normalizeIdNumber(value: string): string {
  return toHalfWidth(value).replace(/\s/g, '').toUpperCase();
}
