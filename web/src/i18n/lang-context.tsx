import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { messagesFor, readStoredLang, storeLang, type Lang, type Messages } from './catalogue';

interface LangContextValue {
  lang: Lang;
  t: Messages;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangContextValue | null>(null);

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);

  useEffect(() => {
    // Screen readers and the browser's own hyphenation/fonts follow the document language.
    document.documentElement.lang = lang;
    const t = messagesFor(lang);
    document.title = `${t.appName} · ${t.appTagline}`;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    storeLang(next);
    setLangState(next);
  }, []);

  const value = useMemo(() => ({ lang, t: messagesFor(lang), setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useI18n(): LangContextValue {
  const value = useContext(LangContext);
  if (!value) throw new Error('useI18n must be used inside <LangProvider>');
  return value;
}
