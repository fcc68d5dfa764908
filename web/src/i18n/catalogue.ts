import { en } from './en';
import { zhCN, type Messages } from './zh-cn';

export type { Messages };

export type Lang = 'zh-CN' | 'en';

export const langs: readonly Lang[] = ['zh-CN', 'en'];

const catalogues: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

export function messagesFor(lang: Lang): Messages {
  return catalogues[lang];
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible so a gap is noticed, not hidden. */
export function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const storageKey = 'anxin.lang';

export function readStoredLang(): Lang {
  // Storage can throw (private mode, disabled cookies); the default language is always a safe answer.
  try {
    const stored = window.localStorage.getItem(storageKey);
    return stored === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function storeLang(lang: Lang): void {
  try {
    window.localStorage.setItem(storageKey, lang);
  } catch {
    // Not remembering the choice is acceptable; the switch still works for this visit.
  }
}
