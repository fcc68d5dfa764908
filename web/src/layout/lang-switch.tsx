import { Segmented } from 'antd';
import { langs, useI18n, type Lang } from '../i18n';

/** Both languages stay visible so a reader of either can find their own. */
export function LangSwitch() {
  const { lang, t, setLang } = useI18n();
  const labels: Record<Lang, string> = { 'zh-CN': t.language.zhCN, en: t.language.en };
  return (
    <Segmented<Lang>
      data-testid="lang-switch"
      aria-label={t.language.label}
      size="small"
      value={lang}
      options={langs.map((value) => ({ value, label: labels[value] }))}
      onChange={setLang}
    />
  );
}
