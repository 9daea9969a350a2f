/**
 * The XML S3 speaks: answers written as `<Root xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`,
 * and the three request bodies it reads (CreateBucketConfiguration, Delete,
 * CompleteMultipartUpload) parsed into a small element tree. The parser takes elements, text,
 * entities, comments, the XML declaration and attributes (ignored); anything else is MalformedXML.
 */
import { escapeXml, tag } from '../aws/protocols/xml-writer.ts';
import { s3Error } from './model/errors.ts';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A whole answer document. */
export function xmlDocument(root: string, content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${tag(root, content, ` xmlns="${S3_NAMESPACE}"`)}`;
}

/** `<name>text</name>` with the text escaped; nothing for undefined. */
export function text(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : tag(name, escapeXml(String(value)));
}

export { tag };

/** A parsed element. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw s3Error('MalformedXML');
    return value;
  });
}

/** Parses `body`; MalformedXML when it is not one well-formed element. */
export function parseXml(body: string): XmlElement {
  let i = 0;
  const skipMisc = () => {
    for (;;) {
      while (i < body.length && /\s/.test(body[i])) i++;
      if (body.startsWith('<?', i)) i = after('?>');
      else if (body.startsWith('<!--', i)) i = after('-->');
      else return;
    }
  };
  const after = (end: string) => {
    const at = body.indexOf(end, i);
    if (at < 0) throw s3Error('MalformedXML');
    return at + end.length;
  };
  const element = (): XmlElement => {
    if (body[i] !== '<') throw s3Error('MalformedXML');
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
      body.slice(i, i + 4096),
    );
    if (!open) throw s3Error('MalformedXML');
    i += open[0].length;
    const name = open[1].replace(/^.*:/, '');
    const node: XmlElement = { name, children: [], text: '' };
    if (open[3] === '/') return node;
    for (;;) {
      const lt = body.indexOf('<', i);
      if (lt < 0) throw s3Error('MalformedXML');
      node.text += decodeEntities(body.slice(i, lt));
      i = lt;
      if (body.startsWith('<!--', i)) {
        i = after('-->');
        continue;
      }
      if (body.startsWith('<![CDATA[', i)) {
        const end = body.indexOf(']]>', i);
        if (end < 0) throw s3Error('MalformedXML');
        node.text += body.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      if (body.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(body.slice(i, i + 512));
        if (!close || close[1] !== open[1]) throw s3Error('MalformedXML');
        i += close[0].length;
        return node;
      }
      node.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== body.length) throw s3Error('MalformedXML');
  return root;
}

/** The first child named `name`. */
export const child = (node: XmlElement, name: string): XmlElement | undefined =>
  node.children.find((c) => c.name === name);

/** Every child named `name`. */
export const childrenNamed = (node: XmlElement, name: string): XmlElement[] =>
  node.children.filter((c) => c.name === name);
