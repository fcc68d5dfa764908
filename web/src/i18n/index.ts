export { format, langs, type Lang, type Messages } from './catalogue';
export { describeError } from './describe-error';
export { LangProvider, useI18n } from './lang-context';
