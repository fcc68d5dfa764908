import { describe, expect, it } from 'vitest';
import { createResolver, type Resolution } from './index.js';

// One resolver for the file: building it is the expensive part.
const resolver = createResolver();

function codeOf(input: string): string | null {
  const result = resolver.resolve(input);
  return result.status === 'resolved' ? result.code : `${result.status}`;
}

function candidatesOf(input: string): readonly string[] | string {
  const result: Resolution = resolver.resolve(input);
  return result.status === 'ambiguous' ? result.candidates : result.status;
}

describe('resolve: official and short forms', () => {
  it('resolves a full official path to the county code, with the official path as name', () => {
    expect(resolver.resolve('河南省洛阳市涧西区')).toEqual({
      input: '河南省洛阳市涧西区',
      status: 'resolved',
      code: '410305',
      candidates: [],
      level: 'county',
      name: '河南省/洛阳市/涧西区',
    });
  });

  it('reads autonomous prefectures in short form (州, bare stem, truncated after an ethnic name)', () => {
    expect(codeOf('阿坝州九寨沟县')).toBe('513225');
    expect(codeOf('恩施州利川市')).toBe('422802');
    expect(codeOf('黔东南凯里市')).toBe('522601');
    expect(codeOf('西双版纳勐腊县')).toBe('532823');
    expect(codeOf('湘西土家族保靖县')).toBe('433125');
    expect(codeOf('红河哈尼族建水县')).toBe('532524');
    expect(codeOf('博州博乐市')).toBe('652701');
  });

  it('tells a prefecture stem from a county that shares it (德宏芒市, 昌吉州 + 昌吉市)', () => {
    expect(codeOf('德宏州芒市')).toBe('533103');
    expect(codeOf('昌吉州昌吉市')).toBe('652301');
    expect(codeOf('芒市镇')).toBe('533103101');
  });

  it('accepts the short region names 广西/内蒙古/宁夏/新疆/西藏 as the province', () => {
    expect(codeOf('广西百色市田东县')).toBe('451022');
    expect(codeOf('内蒙古包头市固阳县')).toBe('150222');
    expect(codeOf('宁夏中卫市海原县')).toBe('640522');
    expect(codeOf('新疆阿勒泰地区福海县')).toBe('654323');
    expect(codeOf('西藏日喀则市定日县')).toBe('540223');
  });

  it('resolves a prefecture without 市/地区/盟 and a province without its prefecture', () => {
    expect(codeOf('绵阳江油市')).toBe('510781');
    expect(codeOf('锡林郭勒西乌珠穆沁旗')).toBe('152526');
    expect(codeOf('湖南省桑植县')).toBe('430822');
    expect(codeOf('贵州凤冈县')).toBe('520327');
  });

  it('resolves a county named alone when the name is unique in the country', () => {
    expect(codeOf('桑植县')).toBe('430822');
    expect(codeOf('凤冈县')).toBe('520327');
  });

  it('accepts a bare county stem only after a province or city', () => {
    expect(codeOf('成都武侯')).toBe('510107');
    expect(codeOf('柳州三江')).toBe('450226');
    expect(codeOf('三江')).toBe('unresolved');
  });

  it('reads contracted banner names used in Inner Mongolia', () => {
    expect(codeOf('兴安盟科右前旗')).toBe('152221');
    expect(codeOf('包头达茂旗')).toBe('150223');
  });
});

describe('resolve: units outside the usual three levels', () => {
  it('resolves county-level units directly under a province (直辖县, 兵团 cities)', () => {
    expect(codeOf('湖北省神农架林区')).toBe('429021');
    expect(codeOf('湖北省直辖县天门市')).toBe('429006');
    expect(codeOf('河南省济源市')).toBe('419001');
    expect(codeOf('新疆石河子市')).toBe('659001');
    expect(codeOf('兵团第八师石河子市')).toBe('659001');
    expect(codeOf('海南省琼海市')).toBe('469002');
  });

  it('resolves municipalities without a prefecture level', () => {
    expect(codeOf('重庆市 忠县')).toBe('500233');
    expect(codeOf('天津河西区')).toBe('120103');
  });

  it('resolves towns under prefecture-level cities that have no counties', () => {
    expect(codeOf('中山市南头镇')).toBe('442000111');
    expect(codeOf('东莞市虎门镇')).toBe('441900121');
    expect(codeOf('儋州市白马井镇')).toBe('460400112');
    expect(codeOf('嘉峪关市峪泉镇')).toBe('620201101');
  });

  it('answers the county code for such a city named alone', () => {
    expect(codeOf('东莞')).toBe('441900');
    expect(codeOf('中山市')).toBe('442000');
  });

  it('resolves towns of Hainan counties, with or without 海南 and with the county abbreviated', () => {
    expect(codeOf('琼中黎族苗族自治县营根镇')).toBe('469030100');
    expect(codeOf('海南保亭县保城镇')).toBe('469029100');
  });

  it('resolves a town written after its city or province, or alone, when that settles it', () => {
    expect(codeOf('济宁市龙桥街道')).toBe('370812003');
    expect(codeOf('山东省龙桥街道')).toBe('370812003');
    expect(codeOf('峪泉镇')).toBe('620201101');
    expect(candidatesOf('长安镇')).toHaveLength(11);
  });

  it('resolves a town after its county or city, and a town that became a street', () => {
    expect(codeOf('成都市郫都区犀浦街道')).toBe('510117006');
    expect(codeOf('郫县犀浦镇')).toBe('510117006');
    expect(codeOf('临沂市兰山区兰山镇')).toBe('371302001');
    expect(codeOf('东莞长安')).toBe('441900119');
  });
});

describe('resolve: the 景宁/紫云 suffix pitfalls', () => {
  it('reads 景宁县 as 景宁畲族自治县, never as 宁县', () => {
    expect(codeOf('景宁县')).toBe('331127');
    expect(codeOf('丽水景宁县')).toBe('331127');
  });

  it('reads 紫云县 as 紫云苗族布依族自治县, never as 云县', () => {
    expect(codeOf('紫云县')).toBe('520425');
  });

  it('still resolves the real 宁县 and 云县', () => {
    expect(codeOf('庆阳宁县')).toBe('621026');
    expect(codeOf('临沧云县')).toBe('530922');
  });

  it('reads other abbreviated autonomous counties', () => {
    expect(codeOf('三江县')).toBe('450226');
    expect(codeOf('河南县')).toBe('632324');
    expect(codeOf('喀左县')).toBe('211324');
  });
});

describe('resolve: renamed units', () => {
  it('maps 撤县设市 and 撤县设区 names to the current unit', () => {
    expect(codeOf('宜宾县')).toBe('511504');
    expect(codeOf('重庆开县')).toBe('500154');
    expect(codeOf('绍兴县')).toBe('330603');
    expect(codeOf('双流县')).toBe('510116');
  });

  it('maps merged districts to the district they joined', () => {
    expect(codeOf('北京市崇文区')).toBe('110101');
    expect(codeOf('上海闸北区')).toBe('310106');
  });

  it('prefers a current unit over a stale name that reads the same', () => {
    // 邢台's 桥东区 is now 襄都区, but 张家口 still has a 桥东区.
    expect(codeOf('桥东区')).toBe('130702');
    expect(codeOf('邢台市桥东区')).toBe('130502');
  });

  it('accepts a moved county under its former prefecture and old prefecture names', () => {
    expect(codeOf('资阳市简阳市')).toBe('510185');
    expect(codeOf('巢湖市庐江县')).toBe('340124');
    expect(codeOf('襄樊市樊城区')).toBe('420606');
  });
});

describe('resolve: noise around names', () => {
  it('folds full-width punctuation and the ideographic space', () => {
    expect(codeOf('张掖市／甘州区；')).toBe('620702');
    expect(codeOf('\u3000洛阳·涧西区，')).toBe('410305');
  });

  it('drops bracketed notes in any bracket style, and uses a note that gives the context', () => {
    expect(codeOf('【限时】洛阳市涧西区(含周边)')).toBe('410305');
    expect(codeOf('洛阳市涧西区［可上门］')).toBe('410305');
    expect(codeOf('朝阳区（北京）')).toBe('110105');
  });

  it('ignores spaces and tabs, also inside names', () => {
    expect(codeOf('  临 沂 \t 兰山 区 ')).toBe('371302');
  });

  it('strips trailing phrases such as 等地, 及周边地区, 一带, 全境', () => {
    expect(codeOf('西安市雁塔区及周边地区')).toBe('610113');
    expect(codeOf('南充市阆中市一带')).toBe('511381');
    expect(codeOf('遵义市仁怀市全境')).toBe('520382');
    expect(codeOf('周口市项城市等地')).toBe('411681');
  });

  it('keeps 城区 and 地区 when they are part of the name', () => {
    expect(codeOf('晋城城区')).toBe('140502');
    expect(codeOf('塔城地区额敏县')).toBe('654221');
  });

  it('takes a pasted code as itself', () => {
    expect(codeOf('510107')).toBe('510107');
    expect(codeOf('999999')).toBe('unresolved');
  });
});

describe('resolve: ambiguity and non-places', () => {
  it('returns every county of a shared name when nothing settles it', () => {
    expect(candidatesOf('鼓楼区')).toEqual(['320106', '320302', '350102', '410204']);
    expect(candidatesOf('江北区')).toEqual(['330205', '500105']);
  });

  it('keeps only the candidates the given context allows', () => {
    expect(candidatesOf('江苏鼓楼区')).toEqual(['320106', '320302']);
    expect(codeOf('福州鼓楼区')).toBe('350102');
  });

  it('names no county for a province or prefecture alone, nor for 海南 (省 or 州)', () => {
    expect(codeOf('湖北省')).toBe('unresolved');
    expect(codeOf('恩施州')).toBe('unresolved');
    expect(codeOf('海南')).toBe('unresolved');
  });

  it('answers whole areas when asked to', () => {
    expect(resolver.resolve('恩施州', { allowAreas: true }).code).toBe('422800');
    expect(resolver.resolve('湖北', { allowAreas: true }).code).toBe('420000');
    expect(resolver.resolve('海南', { allowAreas: true }).candidates).toEqual(['460000', '632500']);
  });

  it('leaves non-places unresolved, including regions that end like a district stem', () => {
    for (const text of [
      '全国联保',
      '华南地区',
      '中原地区',
      '河西走廊',
      '400热线',
      '上门安装',
      '',
      '   ',
    ])
      expect(codeOf(text)).toBe('unresolved');
  });

  it('refuses a county that contradicts its prefecture rather than guessing', () => {
    expect(codeOf('成都市天河区')).toBe('unresolved');
  });

  it('never throws on odd input', () => {
    for (const text of ['\u0000', '((((', '】】', '市'.repeat(500), '🙂成都', '\ud800'])
      expect(() => resolver.resolve(text)).not.toThrow();
  });
});
