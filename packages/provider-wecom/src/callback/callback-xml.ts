import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A callback's XML as the flat map of its root's text children (`ToUserName`, `MsgType`, `Content`, …). */
export type CallbackFields = Readonly<Record<string, string>>;

// Values stay strings: MsgId is a 64-bit integer and must never pass through a JS number (trap 1). Whitespace is
// kept, so a member's text arrives exactly as typed.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses one WeCom callback document (the outer envelope or the decrypted message). Returns undefined for
 * anything else: invalid XML, a DOCTYPE (entity tricks have no place in a callback), or a repeated element.
 * Nested elements (change_contact's `ExtAttr`) are skipped: nothing here reads them.
 */
export function parseCallbackXml(xml: string): CallbackFields | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml) || XMLValidator.validate(xml) !== true) return undefined;
  const document: unknown = parser.parse(xml);
  if (typeof document !== 'object' || document === null) return undefined;
  const roots = Object.values(document);
  const root: unknown = roots.length === 1 ? roots[0] : undefined;
  if (typeof root !== 'object' || root === null) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) {
    if (name === '#text') continue;
    if (Array.isArray(value)) return undefined;
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}
