import type { DivisionLevel } from './model.js';

/**
 * How far an alias is from the official name. The resolver adds these up over
 * a parse and keeps the cheapest, so an official name always beats a short
 * form and a short form beats a bare stem: 朝阳区 means the two 朝阳区, not a
 * rename or an abbreviation that happens to read the same.
 */
export const PENALTY = { official: 0, short: 1, stem: 2, swapped: 2 } as const;

/** One way of writing a unit's name, with its cost and whether it may stand first. */
export interface Alias {
  readonly text: string;
  readonly penalty: number;
  /** A bare town stem (黄江) is only trusted after a county or city. */
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
  const match = /^(.+?)自治([州县旗区])$/.exec(name);
  if (!match) return undefined;
  return { ...stripEthnic(match[1]!), type: match[2]! };
}

function autonomousAliases(parts: AutonomousParts, add: (text: string, p: number) => void): void {
  const { stem, ethnic, type } = parts;
  add(stem + type, PENALTY.short);
  add(`${stem}自治${type}`, PENALTY.short);
  let partial = stem;
  for (const token of ethnic) {
    partial += token;
    add(partial, PENALTY.short);
    add(`${partial}自治${type}`, PENALTY.short);
  }
  // A prefecture or region stem (凉山, 广西) is everyday usage; a county stem is weaker.
  add(stem, type === '县' || type === '旗' ? PENALTY.stem : PENALTY.short);
}

function provinceAliases(name: string, add: (text: string, p: number) => void): void {
  const stem = name.replace(/(省|市)$/, '');
  if (stem !== name) add(stem, PENALTY.short);
}

function prefectureAliases(name: string, add: (text: string, p: number) => void): void {
  const match = /^(.{2,}?)(市|地区|盟)$/.exec(name);
  if (!match) return;
  const stem = match[1]!;
  add(stem, PENALTY.short);
  // Most 地区 and 盟 became 市 and the old forms live on in lists: 毕节地区, 塔城市.
  for (const suffix of ['市', '地区', '盟']) if (suffix !== match[2]) add(stem + suffix, PENALTY.short);
}

function countyAliases(name: string, add: (text: string, p: number) => void): void {
  const match = /^(.{2,}?)(县|区|市|旗|林区|特区|新区|矿区)$/.exec(name);
  if (match) add(match[1]!, PENALTY.stem);
}

const TOWN_SUFFIXES = ['街道', '镇', '乡'];

function townAliases(name: string, add: (text: string, p: number, ctx?: boolean) => void): void {
  const match = /^(.{2,}?)(街道|镇|乡|苏木|地区|办事处)$/.exec(name);
  if (!match) return;
  // 民族乡 (大河满族乡) keep their stem once the ethnic names are gone.
  const stem = match[2] === '乡' ? stripEthnic(match[1]!).stem : match[1]!;
  if (stem.length < 2) return;
  // Towns become streets and townships become towns; the stem survives.
  for (const suffix of TOWN_SUFFIXES) if (stem + suffix !== name) add(stem + suffix, PENALTY.swapped);
  add(stem, PENALTY.stem, true);
}

/**
 * Every way a unit is commonly written, derived from its official name and
 * level: 凉山彝族自治州 → 凉山州, 凉山, 凉山彝族; 景宁畲族自治县 → 景宁县;
 * 泸州市 → 泸州; 黄江镇 → 黄江 (after a city only). The official name itself
 * comes first with penalty 0.
 */
export function aliasesOf(name: string, level: DivisionLevel): Alias[] {
  const seen = new Map<string, Alias>();
  const add = (text: string, penalty: number, needsContext = false): void => {
    if (text.length < 2) return;
    const known = seen.get(text);
    if (!known || known.penalty > penalty) seen.set(text, { text, penalty, needsContext });
  };
  add(name, PENALTY.official);
  if (level === 'prefecture' && isPlaceholderName(name)) {
    seen.delete(name);
    for (const text of PLACEHOLDER_ALIASES[name] ?? []) add(text, PENALTY.short);
    return [...seen.values()];
  }
  for (const text of COMMON_SHORT_FORMS[name] ?? []) add(text, PENALTY.short);
  const parts = level === 'town' ? undefined : splitAutonomous(name);
  if (parts) {
    autonomousAliases(parts, add);
    if (level === 'province') add(`${parts.stem}省`, PENALTY.short);
    return [...seen.values()];
  }
  switch (level) {
    case 'province':
      provinceAliases(name, add);
      break;
    case 'prefecture':
      prefectureAliases(name, add);
      break;
    case 'county':
      countyAliases(name, add);
      break;
    case 'town':
      townAliases(name, add);
      break;
  }
  return [...seen.values()];
}
