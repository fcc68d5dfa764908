/**
 * Turning a pasted line into the bare run of CJK characters the index is
 * keyed on. Everything here is about what people put around names in
 * service-area lists: full-width punctuation, spaces inside names, notes in
 * brackets, and trailing phrases such as 等地 or 及周边.
 */

/** Bracket characters after full-width folding: ( [ { 【 〔 〖 「 『 《 < 〈 and their closers. */
const OPENERS = new Set([
  0x28, 0x5b, 0x7b, 0x3010, 0x3014, 0x3016, 0x300c, 0x300e, 0x300a, 0x3c, 0x3008,
]);
const CLOSERS = new Set([
  0x29, 0x5d, 0x7d, 0x3011, 0x3015, 0x3017, 0x300d, 0x300f, 0x300b, 0x3e, 0x3009,
]);

/** CJK ideographs (basic block, extension A, 〇): names contain nothing else that matters. */
function isIdeograph(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || c === 0x3007;
}

/** True when `text[start, end)` holds ideographs only: the common case, needing no cleaning. */
export function isIdeographsOnly(text: string, start = 0, end = text.length): boolean {
  for (let i = start; i < end; i++) if (!isIdeograph(text.charCodeAt(i))) return false;
  return true;
}

/** A line split into its text outside brackets and the notes inside them. */
export interface Cleaned {
  /** Ideographs outside any bracket: the name itself in nearly every line. */
  readonly main: string;
  /** Ideographs of the bracketed notes, in order; sometimes the context (大连（辽宁）…). */
  readonly notes: string;
  /** Ideographs after the last colon, for lines like 服务区域：成都市武侯区. */
  readonly afterColon: string | undefined;
}

const IDEOGRAPHS_ONLY = /^[\u4e00-\u9fff\u3400-\u4dbf\u3007]*$/;

/**
 * Splits a raw line into name text and bracketed notes. An opener without a
 * closer swallows the rest of the line (a note cut short), and a stray closer
 * is dropped, since 大连（辽宁)沙河口区 mixes the two widths.
 */
export function cleanLine(raw: string): Cleaned {
  if (IDEOGRAPHS_ONLY.test(raw)) return { main: raw, notes: '', afterColon: undefined };
  let main = '';
  let notes = '';
  let afterColon: string | undefined;
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    // Full-width ASCII (（ ： ［) folds to ASCII so one table covers both widths.
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    if (OPENERS.has(c)) depth++;
    else if (CLOSERS.has(c)) depth = Math.max(0, depth - 1);
    else if (!isIdeograph(c)) {
      if (c === 0x3a && depth === 0) afterColon = '';
    } else if (depth > 0) notes += raw[i];
    else {
      main += raw[i];
      if (afterColon !== undefined) afterColon += raw[i];
    }
  }
  return { main, notes, afterColon };
}

/**
 * The same cleaning applied to official names when they are indexed, so
 * 中国（上海）自由贸易试验区 and its input form meet.
 */
export function normalizeName(name: string): string {
  return cleanLine(name).main;
}

/**
 * Phrases that trail a name in lists: 等地区, 及周边, 一带, 全境, 城区. They
 * are only stripped when the whole line does not parse as it is, because
 * 城区 and 地区 are also parts of real names (阳泉城区, 塔城地区).
 */
const TRAILING_NOISE = [
  '及周边地区',
  '及周边区域',
  '及周边乡镇',
  '及其周边',
  '及周边',
  '及附近',
  '周边地区',
  '周边区域',
  '周边乡镇',
  '周边',
  '附近',
  '等地区',
  '等区域',
  '等地方',
  '等区县',
  '等县区',
  '等地',
  '等处',
  '等',
  '一带',
  '全境',
  '全域',
  '全区',
  '全县',
  '全市',
  '全部',
  '所有区县',
  '各区县',
  '各县区',
  '所有乡镇',
  '各乡镇',
  '含乡镇',
  '乡镇',
  '城区',
  '市区',
  '县城',
  '辖区',
  '境内',
  '范围内',
  '范围',
  '以内',
  '区域',
  '地区',
  '可上门',
  '上门',
  '均可',
  '办事处',
  '办',
];

/** Words that lead a line without being part of the place. */
const LEADING_NOISE = [
  '中华人民共和国',
  '中国',
  '服务区域',
  '服务范围',
  '服务地区',
  '覆盖区域',
  '覆盖范围',
  '上门区域',
  '仅限',
  '限',
  '包括',
  '包含',
];

/** The line with one trailing noise phrase removed, or undefined when none ends it. */
export function stripTrailingNoise(text: string): string | undefined {
  for (const phrase of TRAILING_NOISE)
    if (text.length > phrase.length && text.endsWith(phrase)) return text.slice(0, -phrase.length);
  return undefined;
}

/** The line with one leading noise phrase removed, or undefined when none starts it. */
export function stripLeadingNoise(text: string): string | undefined {
  for (const phrase of LEADING_NOISE)
    if (text.length > phrase.length && text.startsWith(phrase)) return text.slice(phrase.length);
  return undefined;
}
