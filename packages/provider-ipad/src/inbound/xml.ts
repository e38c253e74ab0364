import { XMLParser } from 'fast-xml-parser';

const attributePrefix = '@_';
const textKey = '#text';

/** Tags that repeat inside system-message templates; always arrays so one member reads like many. */
const repeatedTags = new Set(['link', 'member']);

/**
 * Parses WeChat's XML into plain objects. Never throws: content is sometimes truncated, sometimes not XML at
 * all. Values stay strings (`svrid` and `newmsgid` are 64-bit); entities, numeric ones included, are decoded.
 */
export function parseXml(xml: string): Readonly<Record<string, unknown>> | undefined {
  if (!xml.trimStart().startsWith('<')) return undefined;
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: attributePrefix,
      textNodeName: textKey,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      // WeChat escapes text with numeric references (`&#x20;`), which only this option decodes.
      htmlEntities: true,
      isArray: tagName => repeatedTags.has(tagName),
    });
    const result: unknown = parser.parse(xml);
    return isObject(result) && Object.keys(result).length > 0 ? result : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** The element at a path of tag names (the first of repeated ones). */
export function at(node: unknown, ...names: readonly string[]): unknown {
  let current = node;
  for (const name of names) {
    const value = first(current);
    if (!isObject(value)) return undefined;
    current = value[name];
  }
  return current;
}

/** An element's text, trimmed; undefined when empty or absent. */
export function textOf(node: unknown): string | undefined {
  const value = first(node);
  const raw = typeof value === 'string' ? value : isObject(value) ? value[textKey] : undefined;
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : undefined;
  return text === '' ? undefined : text;
}

export function textAt(node: unknown, ...names: readonly string[]): string | undefined {
  return textOf(at(node, ...names));
}

/** An attribute's value, trimmed; undefined when empty or absent. */
export function attr(node: unknown, name: string): string | undefined {
  const value = first(node);
  if (!isObject(value)) return undefined;
  const raw = value[`${attributePrefix}${name}`];
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  return text === '' ? undefined : text;
}

/** A positive finite number from an attribute, or undefined. */
export function positiveAttr(node: unknown, name: string): number | undefined {
  const raw = attr(node, name);
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function elements(node: unknown): readonly unknown[] {
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

/** Depth-first search for the first readable text under one of `keys`, for messages of unknown layout. */
export function findText(node: unknown, keys: readonly string[], depth = 4): string | undefined {
  if (depth < 0) return undefined;
  for (const item of elements(node)) {
    if (!isObject(item)) continue;
    for (const key of keys) {
      const text = textOf(item[key]);
      if (text !== undefined && !text.startsWith('<')) return text;
    }
    for (const [key, value] of Object.entries(item)) {
      if (key.startsWith(attributePrefix) || key === textKey) continue;
      const text = findText(value, keys, depth - 1);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}
