import type { DivisionLevel } from './model.js';

/**
 * How far an alias is from the official name. The resolver adds these up over
 * a parse and keeps the cheapest, so an official name always beats a short
 * form and a short form beats a bare stem: 朝阳区 means the two 朝阳区, not a
 * rename or an abbreviation that happens to read the same.
 */
export const PENALTY = { official: 0, short: 1, stem: 2, swapped: 2 } as const;

/** One way of writing a unit's name, with its cost. */
export interface Alias {
  readonly text: string;
  readonly penalty: number;
  /**
   * A bare county stem (古蔺 of 古蔺县) is trusted only after a province or
   * city: alone, 中原 or 河西 is more often a region than a district.
   */
  readonly needsContext: boolean;
}

/**
 * Ethnic names as they appear in autonomous units, longest first so that
 * 土家 wins over 土 and 蒙古 over nothing. 各 covers 龙胜各族自治县.
 */
const ETHNIC_NAMES = [
  '乌孜别克',
  '柯尔克孜',
  '维吾尔',
  '哈萨克',
  '塔吉克',
  '达斡尔',
  '鄂伦春',
  '鄂温克',
  '俄罗斯',
  '塔塔尔',
  '土家',
  '哈尼',
  '傈僳',
  '拉祜',
  '纳西',
  '景颇',
  '仫佬',
  '布朗',
  '撒拉',
  '毛南',
  '仡佬',
  '锡伯',
  '阿昌',
  '普米',
  '德昂',
  '保安',
  '裕固',
  '独龙',
  '赫哲',
  '门巴',
  '珞巴',
  '基诺',
  '东乡',
  '布依',
  '朝鲜',
  '蒙古',
  '高山',
  '回',
  '藏',
  '苗',
  '彝',
  '壮',
  '满',
  '侗',
  '瑶',
  '白',
  '傣',
  '黎',
  '佤',
  '畲',
  '水',
  '羌',
  '怒',
  '京',
  '土',
  '各',
];

/** Short forms in everyday use that no rule derives (博州 for 博尔塔拉蒙古自治州). */
const COMMON_SHORT_FORMS: Readonly<Record<string, readonly string[]>> = {
  博尔塔拉蒙古自治州: ['博州'],
  巴音郭楞蒙古自治州: ['巴州', '巴音'],
  克孜勒苏柯尔克孜自治州: ['克州'],
  西双版纳傣族自治州: ['版纳'],
  内蒙古自治区: ['内蒙'],
  喀喇沁左翼蒙古族自治县: ['喀左', '喀左县'],
  前郭尔罗斯蒙古族自治县: ['前郭', '前郭县'],
  杜尔伯特蒙古族自治县: ['杜蒙', '杜蒙县'],
  阜新蒙古族自治县: ['阜蒙', '阜蒙县'],
  塔什库尔干塔吉克自治县: ['塔县'],
  莫力达瓦达斡尔族自治旗: ['莫旗'],
  // Inner Mongolia's banners go by contracted names in every address book.
  科尔沁右翼前旗: ['科右前旗'],
  科尔沁右翼中旗: ['科右中旗'],
  科尔沁左翼中旗: ['科左中旗'],
  科尔沁左翼后旗: ['科左后旗'],
  达尔罕茂明安联合旗: ['达茂旗', '达茂'],
  土默特左旗: ['土左旗'],
  土默特右旗: ['土右旗'],
  察哈尔右翼前旗: ['察右前旗'],
  察哈尔右翼中旗: ['察右中旗'],
  察哈尔右翼后旗: ['察右后旗'],
  新巴尔虎左旗: ['新左旗'],
  新巴尔虎右旗: ['新右旗'],
  陈巴尔虎旗: ['陈旗'],
  东乌珠穆沁旗: ['东乌旗'],
  西乌珠穆沁旗: ['西乌旗'],
  伊金霍洛旗: ['伊旗'],
  准格尔旗: ['准旗'],
  阿拉善左旗: ['阿左旗'],
  阿拉善右旗: ['阿右旗'],
  杭锦后旗: ['杭后'],
};

/** NBS placeholders at prefecture level; they carry no place of their own. */
const PLACEHOLDER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  市辖区: ['市辖区'],
  县: [],
  省直辖县级行政区划: ['省直辖县级行政区划', '直辖县级行政区划', '省直辖县', '直辖县', '省直管县'],
  自治区直辖县级行政区划: [
    '自治区直辖县级行政区划',
    '直辖县级行政区划',
    '直辖县',
    '新疆生产建设兵团',
    '生产建设兵团',
    '兵团',
  ],
};

/** True for the NBS placeholder rows (市辖区, 县, 省直辖县级行政区划). */
export function isPlaceholderName(name: string): boolean {
  return name in PLACEHOLDER_ALIASES;
}

interface AutonomousParts {
  readonly stem: string;
  readonly ethnic: readonly string[];
  /** 州, 县, 旗 or 区: what 自治 qualifies. */
  readonly type: string;
}

/** Strips trailing ethnic names: 积石山保安族东乡族撒拉族 → 积石山 + [保安族, 东乡族, 撒拉族]. */
function stripEthnic(body: string): { stem: string; ethnic: string[] } {
  const ethnic: string[] = [];
  let stem = body;
  for (;;) {
    const found = ETHNIC_NAMES.find(
      (e) => stem.endsWith(`${e}族`) || (e.length >= 2 && stem.endsWith(e)),
    );
    if (!found) break;
    const token = stem.endsWith(`${found}族`) ? `${found}族` : found;
    ethnic.unshift(token);
    stem = stem.slice(0, -token.length);
  }
  // 东乡族自治县, 鄂伦春自治旗: the ethnic name is the place name.
  if (stem === '' && ethnic.length > 0) stem = ethnic.shift()!.replace(/族$/, '');
  return { stem, ethnic };
}

/** Splits 黔西南布依族苗族自治州 into 黔西南 + [布依族, 苗族] + 州; undefined for other names. */
export function splitAutonomous(name: string): AutonomousParts | undefined {
  if (!name.includes('自治')) return undefined;
  const match = /^(.+?)自治([州县旗区])$/.exec(name);
  if (!match) return undefined;
  return { ...stripEthnic(match[1]!), type: match[2]! };
}

/** The aliases of one unit, each text once at its lowest penalty; a class, not closures, as it runs per unit at start-up. */
class AliasList {
  readonly aliases: Alias[] = [];

  add(text: string, penalty: number): void {
    if (text.length < 2) return;
    const at = this.aliases.findIndex((alias) => alias.text === text);
    if (at >= 0 && this.aliases[at]!.penalty <= penalty) return;
    const alias = { text, penalty, needsContext: penalty === PENALTY.stem };
    if (at >= 0) this.aliases[at] = alias;
    else this.aliases.push(alias);
  }
}

function autonomousAliases(parts: AutonomousParts, list: AliasList): void {
  const { stem, ethnic, type } = parts;
  list.add(stem + type, PENALTY.short);
  list.add(`${stem}自治${type}`, PENALTY.short);
  let partial = stem;
  for (const token of ethnic) {
    partial += token;
    list.add(partial, PENALTY.short);
    list.add(`${partial}自治${type}`, PENALTY.short);
  }
  // A prefecture or region stem (凉山, 广西) is everyday usage; a county stem is weaker.
  list.add(stem, type === '县' || type === '旗' ? PENALTY.stem : PENALTY.short);
}

function provinceAliases(name: string, list: AliasList): void {
  if (name.endsWith('省') || name.endsWith('市')) list.add(name.slice(0, -1), PENALTY.short);
}

function prefectureAliases(name: string, list: AliasList): void {
  const suffix = ['市', '地区', '盟'].find((s) => name.endsWith(s) && name.length - s.length >= 2);
  if (suffix === undefined) return;
  const stem = name.slice(0, -suffix.length);
  list.add(stem, PENALTY.short);
  // Most 地区 and 盟 became 市 and the old forms live on in lists: 毕节地区, 塔城市.
  for (const other of ['市', '地区', '盟'])
    if (other !== suffix) list.add(stem + other, PENALTY.short);
}

function countyAliases(name: string, list: AliasList): void {
  const last = name[name.length - 1];
  if (name.length >= 3 && (last === '县' || last === '区' || last === '市' || last === '旗'))
    list.add(name.slice(0, -1), PENALTY.stem);
  // 浦东新区, 井陉矿区, 六枝特区, 神农架林区 are also known without the two-character suffix,
  // but 万柏林区 is 万柏林 + 区, so 林区 needs a three-character stem.
  const two = name.slice(-2);
  const rest = name.length - 2;
  if (
    ((two === '新区' || two === '矿区' || two === '特区') && rest >= 2) ||
    (two === '林区' && rest >= 3)
  )
    list.add(name.slice(0, rest), PENALTY.stem);
}

/** True when `text[start, end)` ends with `suffix` and has more before it. */
function endsWithIn(text: string, start: number, end: number, suffix: string): boolean {
  return end - start > suffix.length && text.startsWith(suffix, end - suffix.length);
}

/**
 * The length of the stem a town is keyed on: 黄江 of 黄江镇, 大河 of
 * 大河满族乡; 0 when the name has no usual suffix (农场, 林场) and is keyed
 * whole. The rest of the name is its official suffix. The resolver accepts
 * the other usual suffixes after a stem (towns become streets, townships
 * become towns) and a bare stem after a county or city. Reads the name in
 * place, `text[start, end)`, so the 41,000 towns cost no string at start-up.
 */
export function townStemLength(text: string, start = 0, end = text.length): number {
  let suffixLength: number;
  switch (text.charCodeAt(end - 1)) {
    case 0x9547: // 镇
    case 0x4e61: // 乡
      suffixLength = 1;
      break;
    case 0x9053: // 街道
      suffixLength = endsWithIn(text, start, end, '街道') ? 2 : 0;
      break;
    case 0x6728: // 苏木
      suffixLength = endsWithIn(text, start, end, '苏木') ? 2 : 0;
      break;
    case 0x533a: // 地区 (Beijing's 地区办事处)
      suffixLength = endsWithIn(text, start, end, '地区') ? 2 : 0;
      break;
    case 0x5904: // 办事处
      suffixLength = endsWithIn(text, start, end, '办事处') ? 3 : 0;
      break;
    default:
      suffixLength = 0;
  }
  let stem = suffixLength === 0 ? 0 : end - start - suffixLength;
  // 民族乡 (大河满族乡) keep their stem once the ethnic names are gone.
  if (suffixLength === 1 && text.charCodeAt(start + stem - 1) === 0x65cf /* 族 */)
    stem = stripEthnic(text.slice(start, start + stem)).stem.length;
  return stem >= 2 ? stem : 0;
}

/** Suffixes a town stem may carry in the input besides its official one, longest first. */
export const TOWN_SUFFIXES = ['街道办事处', '街道办', '街道', '镇', '乡'];

/**
 * Every way a province, prefecture or county is commonly written, derived
 * from its official name and level: 凉山彝族自治州 → 凉山州, 凉山, 凉山彝族;
 * 景宁畲族自治县 → 景宁县; 泸州市 → 泸州. The official name itself comes
 * first with penalty 0. Towns are indexed by stem instead (splitTownName).
 */
export function aliasesOf(name: string, level: Exclude<DivisionLevel, 'town'>): Alias[] {
  const list = new AliasList();
  if (level === 'prefecture' && isPlaceholderName(name)) {
    for (const text of PLACEHOLDER_ALIASES[name] ?? []) list.add(text, PENALTY.short);
    return list.aliases;
  }
  list.add(name, PENALTY.official);
  for (const text of COMMON_SHORT_FORMS[name] ?? []) list.add(text, PENALTY.short);
  const parts = splitAutonomous(name);
  if (parts) {
    autonomousAliases(parts, list);
    if (level === 'province') list.add(`${parts.stem}省`, PENALTY.short);
    return list.aliases;
  }
  switch (level) {
    case 'province':
      provinceAliases(name, list);
      break;
    case 'prefecture':
      prefectureAliases(name, list);
      break;
    case 'county':
      countyAliases(name, list);
      break;
  }
  return list.aliases;
}
