import { XMLParser } from 'fast-xml-parser';

/** What the simulator needs from a message XML a client hands back (downloads, forwards). */
export interface MediaXmlKeys {
  /** Every `aeskey` found, as an attribute or an element, in document order. */
  readonly aesKeys: readonly string[];
  readonly md5s: readonly string[];
  /** `<appmsg><type>` when present. */
  readonly appType: number | undefined;
}

/**
 * Reads the keys the simulator embedded in the XML it delivered. Clients pass the received `Content` back,
 * sometimes still carrying the group prefix `"<wxid>:\n"`, so everything before the first `<` is ignored.
 */
export function readMediaXml(xml: string): MediaXmlKeys | undefined {
  const start = xml.indexOf('<');
  if (start < 0) return undefined;
  let tree: unknown;
  try {
    tree = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
    }).parse(xml.slice(start));
  } catch {
    return undefined;
  }
  const aesKeys: string[] = [];
  const md5s: string[] = [];
  let appType: number | undefined;
  const visit = (node: unknown, name: string, parent: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, name, parent);
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) visit(value, key, name);
      return;
    }
    if (typeof node !== 'string' && typeof node !== 'number') return;
    const value = String(node).trim();
    if (value === '') return;
    const key = name.replace(/^@_/, '').toLowerCase();
    if (key === 'aeskey' || key === 'cdnthumbaeskey') aesKeys.push(value);
    else if (key === 'md5' || key === 'emoticonmd5') md5s.push(value);
    else if (key === 'type' && parent === 'appmsg' && appType === undefined) appType = Number(value);
  };
  visit(tree, '', '');
  return { aesKeys, md5s, appType };
}
