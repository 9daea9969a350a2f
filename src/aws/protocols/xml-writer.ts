/** Writes a JSON-form value as the XML of AWS Query answers along its SDK schema. */
import type { NormalizedSchema } from '@smithy/core/schema';
import { xmlName } from './query-input.ts';
import { formatText, isRecord } from './shape-walk.ts';

/**
 * The XML elements of a structure's members (no enclosing element), in schema order: names from
 * `xmlName`, lists as `<member>` items (repeated elements with `xmlFlattened`), maps as
 * `<entry><key/><value/></entry>`, timestamps in ISO 8601, blobs as base64 text.
 */
export function xmlMembers(ns: NormalizedSchema, value: unknown): string {
  if (!isRecord(value)) return '';
  let out = '';
  for (const [name, member] of ns.structIterator()) {
    const v = value[name];
    if (v === null || v === undefined) continue;
    out += xmlElement(member, xmlName(member) ?? name, v);
  }
  return out;
}

/** `<name>value</name>`; a flattened list or map gives one element per item instead. */
function xmlElement(ns: NormalizedSchema, name: string, value: unknown): string {
  const flat = !!ns.getMergedTraits().xmlFlattened;
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return '';
    const item = ns.getValueSchema();
    if (flat) return value.map((v) => xmlElement(item, name, v)).join('');
    const itemName = xmlName(item) ?? 'member';
    return tag(name, value.map((v) => xmlElement(item, itemName, v)).join(''));
  }
  if (ns.isMapSchema()) {
    if (!isRecord(value)) return '';
    const keyName = xmlName(ns.getKeySchema()) ?? 'key';
    const valueName = xmlName(ns.getValueSchema()) ?? 'value';
    const entries = Object.entries(value).map(
      ([k, v]) => tag(keyName, escapeXml(k)) + xmlElement(ns.getValueSchema(), valueName, v),
    );
    return flat
      ? entries.map((e) => tag(name, e)).join('')
      : tag(name, entries.map((e) => tag('entry', e)).join(''));
  }
  if (ns.isStructSchema()) return tag(name, xmlMembers(ns, value));
  if (value === null || value === undefined) return '';
  const text = ns.isDocumentSchema() ? JSON.stringify(value) : formatText(ns, value, 'xml');
  return tag(name, escapeXml(text));
}

export function tag(name: string, content: string, attributes = ''): string {
  return `<${name}${attributes}>${content}</${name}>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};
