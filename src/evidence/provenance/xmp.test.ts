import { describe, expect, it } from 'vitest';
import { decodeEntities, parseXmp } from './xmp.js';

describe('XMP parsing', () => {
  it('resolves prefixes to namespaces for elements and attributes', () => {
    const props = parseXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:a="urn:a" xmlns:b="urn:b" a:attr="1"><b:el>two</b:el></rdf:Description></rdf:RDF></x:xmpmeta>',
    );
    expect(props).toEqual([
      { ns: 'urn:a', prefix: 'a', name: 'attr', value: '1', path: [] },
      { ns: 'urn:b', prefix: 'b', name: 'el', value: 'two', path: [] },
    ]);
  });

  it('gives array items to their property and struct fields their path', () => {
    const props = parseXmp(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="urn:dc" xmlns:mm="urn:mm" xmlns:ev="urn:ev"><dc:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li></rdf:Bag></dc:subject><mm:History><rdf:Seq><rdf:li rdf:parseType="Resource"><ev:softwareAgent>GIMP</ev:softwareAgent></rdf:li><rdf:li ev:softwareAgent="Krita"/></rdf:Seq></mm:History></rdf:Description></rdf:RDF>',
    );
    expect(props.filter((p) => p.name === 'subject').map((p) => p.value)).toEqual(['a', 'b']);
    expect(props.filter((p) => p.name === 'softwareAgent')).toEqual([
      { ns: 'urn:ev', prefix: 'ev', name: 'softwareAgent', value: 'GIMP', path: ['mm:History'] },
      { ns: 'urn:ev', prefix: 'ev', name: 'softwareAgent', value: 'Krita', path: ['mm:History'] },
    ]);
  });

  it('decodes entities and CDATA and skips comments', () => {
    const props = parseXmp(
      '<r xmlns:p="urn:p"><!-- <p:no>x</p:no> --><p:a>&quot;&#x4E2D;&#25991;&amp;</p:a><p:b><![CDATA[<raw>]]></p:b></r>',
    );
    expect(props.map((p) => p.value)).toEqual(['"中文&', '<raw>']);
    expect(decodeEntities('&bogus; &#0; &lt;')).toBe('&bogus; &#0; <');
  });

  it('returns what it could read from broken or hostile XML', () => {
    expect(parseXmp('<a:b xmlns:a="u">unterminated')).toEqual([]);
    expect(parseXmp('<<<<>>>>')).toEqual([]);
    // Deep nesting and unterminated tags must not recurse or backtrack without bound.
    expect(parseXmp('<a xmlns:p="urn:p">'.repeat(10_000) + '<p:x>1</p:x>')).toEqual([]);
    expect(parseXmp('<p:x xmlns:p="urn:p" '.repeat(20_000))).toEqual([]);
  });
});
