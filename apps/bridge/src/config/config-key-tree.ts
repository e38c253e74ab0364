import type { GenericSchema } from 'valibot';

/**
 * What the config schema says about a key, as far as resolving secrets needs it: which keys exist (so an
 * environment variable name like `WECHAT_BRIDGE_APPSERVICE_AS_TOKEN` can be split into `appservice.as_token`
 * although keys contain underscores) and which of them hold text (only text can come from a file or a variable).
 */
export type ConfigKeyNode =
  | { readonly kind: 'text' }
  | { readonly kind: 'other' }
  | {
      readonly kind: 'section';
      readonly keys: ReadonlyMap<string, ConfigKeyNode>;
      /** What keys not listed in `keys` hold (records and `objectWithRest`); undefined when they are rejected. */
      readonly rest: ConfigKeyNode | undefined;
    }
  /** Structure unknown until later validation (provider sections): any key may exist, any value may be text. */
  | { readonly kind: 'open' };

/** The parts of a valibot schema object this walk reads. Valibot exposes them as plain data. */
interface SchemaShape {
  readonly type: string;
  readonly wrapped?: SchemaShape;
  readonly entries?: Readonly<Record<string, SchemaShape>>;
  readonly rest?: SchemaShape;
  readonly value?: SchemaShape;
  readonly options?: readonly unknown[];
}

const objectTypes = new Set(['object', 'strict_object', 'loose_object', 'object_with_rest']);

/** Describes the keys of a valibot schema. A `pipe` keeps its first schema's properties, so it needs no case. */
export function describeConfigKeys(schema: GenericSchema): ConfigKeyNode {
  return describe(schema as unknown as SchemaShape);
}

function describe(shape: SchemaShape): ConfigKeyNode {
  // optional, nullable, nullish, exact_optional, undefinedable and their non_ forms all wrap a schema.
  if (shape.wrapped) return describe(shape.wrapped);
  if (objectTypes.has(shape.type) && shape.entries) {
    const keys = new Map(Object.entries(shape.entries).map(([key, entry]) => [key, describe(entry)] as const));
    const rest = shape.rest ? describe(shape.rest) : shape.type === 'loose_object' ? ({ kind: 'open' } as const) : undefined;
    return { kind: 'section', keys, rest };
  }
  if (shape.type === 'record' && shape.value) return { kind: 'section', keys: new Map(), rest: describe(shape.value) };
  if (shape.type === 'string') return { kind: 'text' };
  if (shape.type === 'picklist' && shape.options?.every(option => typeof option === 'string')) return { kind: 'text' };
  if (shape.type === 'unknown' || shape.type === 'any') return { kind: 'open' };
  return { kind: 'other' };
}

/** The node a key of `parent` leads to; undefined when the schema rejects that key. */
export function childKeyNode(parent: ConfigKeyNode, key: string): ConfigKeyNode | undefined {
  if (parent.kind === 'open') return parent;
  if (parent.kind !== 'section') return undefined;
  return parent.keys.get(key) ?? parent.rest;
}

/** Text settings, and anything inside a section whose structure is not known yet, may come from a secret. */
export function acceptsSecret(node: ConfigKeyNode | undefined): boolean {
  return node?.kind === 'text' || node?.kind === 'open';
}
