import { describe, expect, it } from 'vitest';
import { parseServiceAreas } from './index.js';

describe('parseServiceAreas', () => {
  it('splits on 、，, ; and newlines in both widths and resolves every piece in order', () => {
    const parse = parseServiceAreas(
      '六安市舒城县、牡丹江市绥芬河市，乐东黎族自治县志仲镇;广州天河区；\n温州市洞头区,',
    );
    expect(parse.codes).toEqual(['341523', '231081', '469027103', '440106', '330305']);
    expect(parse.unresolved).toEqual([]);
    expect(parse.items.map((item) => item.text)).toEqual([
      '六安市舒城县',
      '牡丹江市绥芬河市',
      '乐东黎族自治县志仲镇',
      '广州天河区',
      '温州市洞头区',
    ]);
  });

  it('reports what it could not resolve, and ambiguous pieces, for a human to fix', () => {
    const parse = parseServiceAreas('成都市武侯区、白鹿县、朝阳区');
    expect(parse.codes).toEqual(['510107']);
    expect(parse.unresolved).toEqual(['白鹿县', '朝阳区']);
    expect(parse.items[2]!.resolution.status).toBe('ambiguous');
    expect(parse.items[2]!.resolution.candidates).toEqual(['110105', '220104']);
  });

  it('accepts whole prefectures and provinces as coverage', () => {
    expect(parseServiceAreas('成都市、凉山州、海南省').codes).toEqual([
      '510100',
      '513400',
      '460000',
    ]);
  });

  it('carries a heading before a colon into the items of its line', () => {
    const parse = parseServiceAreas('沈阳市：和平区、铁西区\n大连：沙河口区');
    expect(parse.codes).toEqual(['210102', '210106', '210204']);
    expect(parse.items[1]!.text).toBe('沈阳市：铁西区');
  });

  it('ignores a heading that is a label, not a place', () => {
    expect(parseServiceAreas('服务区域：杭州市西湖区、余杭区').codes).toEqual(['330106', '330110']);
  });

  it('lists each code once and skips empty pieces', () => {
    const parse = parseServiceAreas('武侯区、、成都市武侯区，\n\n');
    expect(parse.codes).toEqual(['510107']);
    expect(parse.items).toHaveLength(2);
  });
});
