/**
 * A small namespace-aware XMP reader. XMP is RDF/XML, and the same property
 * may be written as an element or as an attribute of rdf:Description under
 * any prefix, so we resolve prefixes to namespace URIs and flatten every
 * simple value into (namespace, name, value). No DTDs, no external entities:
 * a hostile packet costs linear time.
 */
import type { XmpProperty } from './model.js';

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ADOBE_META_NS = 'adobe:ns:meta/';
const MAX_PROPERTIES = 20_000;
const MAX_VALUE_CHARS = 65_536;
const MAX_DEPTH = 64;

interface Frame {
  prefix: string;
  name: string;
  ns: string;
  scope: ReadonlyMap<string, string>;
  isProperty: boolean;
  hasChildren: boolean;
  text: string;
  /** `prefix:name` of enclosing property elements. */
  path: string[];
}

/** Flattens an XMP packet into its simple property values; malformed XML yields what was readable. */
export function parseXmp(packet: string): XmpProperty[] {
  const out: XmpProperty[] = [];
  const stack: Frame[] = [];
  const rootScope = new Map<string, string>([['xml', XML_NS]]);
  let i = 0;
  const n = packet.length;
  while (i < n && out.length < MAX_PROPERTIES) {
    const lt = packet.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i && stack.length > 0)
      appendText(stack[stack.length - 1], packet.slice(i, textEnd));
    if (lt < 0) break;
    if (packet.startsWith('<!--', lt)) {
      i = skipPast(packet, '-->', lt + 4);
    } else if (packet.startsWith('<![CDATA[', lt)) {
      const end = packet.indexOf(']]>', lt + 9);
      const stop = end < 0 ? n : end;
      if (stack.length > 0) appendRaw(stack[stack.length - 1], packet.slice(lt + 9, stop));
      i = end < 0 ? n : end + 3;
    } else if (packet.startsWith('<?', lt)) {
      i = skipPast(packet, '?>', lt + 2);
    } else if (packet.startsWith('<!', lt)) {
      i = skipPast(packet, '>', lt + 2);
    } else if (packet.startsWith('</', lt)) {
      const gt = packet.indexOf('>', lt);
      const frame = stack.pop();
      if (frame) closeFrame(frame, stack, out);
      i = gt < 0 ? n : gt + 1;
    } else {
      const tag = readTag(packet, lt + 1);
      if (!tag) break;
      i = tag.end;
      openTag(tag, stack, rootScope, out);
    }
  }
  return out;
}

interface Tag {
  qname: string;
  attributes: [string, string][];
  selfClosing: boolean;
  end: number;
}

function readTag(s: string, from: number): Tag | undefined {
  const nameMatch = /^[^\s/>]+/.exec(s.slice(from, from + 256));
  if (!nameMatch) return undefined;
  let i = from + nameMatch[0].length;
  const attributes: [string, string][] = [];
  const attr = /\s*([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;
  for (;;) {
    attr.lastIndex = i;
    const m = attr.exec(s);
    if (!m) break;
    attributes.push([m[1] ?? '', decodeEntities(m[3] ?? m[4] ?? '')]);
    i = attr.lastIndex;
  }
  const gt = s.indexOf('>', i);
  if (gt < 0) return undefined;
  return { qname: nameMatch[0], attributes, selfClosing: s[gt - 1] === '/', end: gt + 1 };
}

function openTag(
  tag: Tag,
  stack: Frame[],
  rootScope: ReadonlyMap<string, string>,
  out: XmpProperty[],
): void {
  const parent = stack[stack.length - 1];
  if (parent) parent.hasChildren = true;
  let scope = parent?.scope ?? rootScope;
  const declarations = tag.attributes.filter(([k]) => k === 'xmlns' || k.startsWith('xmlns:'));
  if (declarations.length > 0) {
    const next = new Map(scope);
    for (const [k, v] of declarations) next.set(k === 'xmlns' ? '' : k.slice(6), v);
    scope = next;
  }
  const [prefix, name] = splitQName(tag.qname);
  const ns = scope.get(prefix) ?? '';
  const isStructural = ns === RDF_NS || ns === ADOBE_META_NS;
  const path = parent
    ? parent.isProperty
      ? [...parent.path, `${parent.prefix}:${parent.name}`]
      : parent.path
    : [];
  const frame: Frame = {
    prefix,
    name,
    ns,
    scope,
    isProperty: !isStructural,
    hasChildren: false,
    text: '',
    path,
  };
  const attrPath = frame.isProperty ? [...path, `${prefix}:${name}`] : path;
  for (const [k, v] of tag.attributes) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    const [ap, an] = splitQName(k);
    const ans = scope.get(ap) ?? '';
    if (ans === RDF_NS) {
      // rdf:resource is the value of the property element that carries it.
      if (an === 'resource' && frame.isProperty) push(out, { ns, prefix, name, value: v, path });
      continue;
    }
    if (ans === XML_NS || ans === '') continue;
    push(out, { ns: ans, prefix: ap, name: an, value: v, path: attrPath });
  }
  // A self-closing element has said everything in its attributes.
  if (!tag.selfClosing && stack.length < MAX_DEPTH) stack.push(frame);
}

function closeFrame(frame: Frame, stack: Frame[], out: XmpProperty[]): void {
  if (frame.hasChildren) return;
  const value = frame.text.trim();
  if (!value) return;
  if (frame.isProperty) {
    push(out, { ns: frame.ns, prefix: frame.prefix, name: frame.name, value, path: frame.path });
    return;
  }
  // rdf:li (array item): the value belongs to the nearest enclosing property.
  if (frame.name === 'li') {
    const owner = [...stack].reverse().find((f) => f.isProperty);
    if (owner)
      push(out, { ns: owner.ns, prefix: owner.prefix, name: owner.name, value, path: owner.path });
  }
}

function push(out: XmpProperty[], property: XmpProperty): void {
  if (out.length >= MAX_PROPERTIES) return;
  out.push(
    property.value.length > MAX_VALUE_CHARS
      ? { ...property, value: property.value.slice(0, MAX_VALUE_CHARS) }
      : property,
  );
}

function appendText(frame: Frame | undefined, raw: string): void {
  if (frame) appendRaw(frame, decodeEntities(raw));
}

function appendRaw(frame: Frame | undefined, text: string): void {
  if (frame && frame.text.length < MAX_VALUE_CHARS) frame.text += text;
}

function skipPast(s: string, marker: string, from: number): number {
  const at = s.indexOf(marker, from);
  return at < 0 ? s.length : at + marker.length;
}

function splitQName(qname: string): [string, string] {
  const colon = qname.indexOf(':');
  return colon < 0 ? ['', qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references; unknown ones stay as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** Values of the properties named `name` in namespace `ns`, in document order. */
export function xmpValues(
  properties: readonly XmpProperty[] | undefined,
  ns: string,
  name: string,
): string[] {
  return (properties ?? []).filter((p) => p.ns === ns && p.name === name).map((p) => p.value);
}

/** Well-known XMP namespace URIs. */
export const XMP_NS = {
  tc260: 'http://www.tc260.org.cn/ns/AIGC/1.0/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  xmpMM: 'http://ns.adobe.com/xap/1.0/mm/',
  stEvt: 'http://ns.adobe.com/xap/1.0/sType/ResourceEvent#',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  exif: 'http://ns.adobe.com/exif/1.0/',
  tiff: 'http://ns.adobe.com/tiff/1.0/',
  dc: 'http://purl.org/dc/elements/1.1/',
  iptcExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
  xmpNote: 'http://ns.adobe.com/xmp/note/',
} as const;
