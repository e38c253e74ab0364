import { XMLParser } from 'fast-xml-parser';

export type XmlNode = Readonly<Record<string, unknown>>;

/**
 * Parses the XML WeChat puts in messages. Values stay strings (ids exceed 2^53, and `parseTagValue` would
 * turn them into rounded numbers); attributes are `@_name`, text beside attributes is `#text`.
 * Undefined when the text is no XML at all.
 */
export function parseXml(text: string): XmlNode | undefined {
  const start = text.indexOf('<');
  if (start === -1) return undefined;
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      processEntities: true,
    });
    const parsed: unknown = parser.parse(text.slice(start));
    return typeof parsed === 'object' && parsed !== null ? (parsed as XmlNode) : undefined;
  } catch {
    return undefined;
  }
}

/** The element at `path` (first of repeated ones). */
export function xmlChild(node: unknown, ...path: readonly string[]): XmlNode | undefined {
  let current: unknown = node;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as XmlNode)[key];
    if (Array.isArray(current)) current = current[0];
  }
  return typeof current === 'object' && current !== null ? (current as XmlNode) : undefined;
}

/** The text of the element at `path`, or of an attribute (`@_name`); '' when absent. */
export function xmlText(node: unknown, ...path: readonly string[]): string {
  let current: unknown = node;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as XmlNode)[key];
    if (Array.isArray(current)) current = current[0];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  if (typeof current === 'object' && current !== null) return xmlText(current, '#text');
  return '';
}

/** A whole number from `xmlText`, or undefined. */
export function xmlNumber(node: unknown, ...path: readonly string[]): number | undefined {
  const text = xmlText(node, ...path).trim();
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
