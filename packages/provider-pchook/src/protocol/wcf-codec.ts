import protobuf from 'protobufjs';
import type { RoomData, WcfRequest, WcfResponse } from './wcf-messages.ts';
import { wcfProtoSource } from './wcf-proto.ts';

/** Parsed once: a read-only description of the schema, never mutated after this line. */
const root = protobuf.parse(wcfProtoSource, { keepCase: true }).root;
const requestType = root.lookupType('wcf.Request');
const responseType = root.lookupType('wcf.Response');
const roomDataType = root.lookupType('wcf.RoomData');

const toObjectOptions: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
};

/** Turns Node Buffers (what protobufjs decodes `bytes` to) into plain Uint8Arrays, deeply. */
function plainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plainBytes);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainBytes(inner)]));
  }
  return value;
}

/**
 * `fromObject` coerces (decimal strings become uint64s) but forgives too much: it would encode two members of
 * a oneof, which the host then reads as the last one. So that one rule is checked here; unknown keys (trap:
 * `isSelf` for `is_self`) are kept out by the TypeScript types.
 */
function checked(type: protobuf.Type, object: object): protobuf.Message {
  const record = object as Record<string, unknown>;
  for (const oneof of type.oneofsArray) {
    const set = oneof.fieldsArray.filter(field => record[field.name] !== undefined && record[field.name] !== null);
    if (set.length > 1) {
      throw new TypeError(`Invalid ${type.name}: oneof ${oneof.name} has ${set.map(field => field.name).join(' and ')}`);
    }
  }
  return type.fromObject(record);
}

export function encodeRequest(request: WcfRequest): Uint8Array {
  return requestType.encode(checked(requestType, request)).finish();
}

export function decodeRequest(bytes: Uint8Array): WcfRequest {
  return plainBytes(requestType.toObject(requestType.decode(bytes), toObjectOptions)) as WcfRequest;
}

export function encodeResponse(response: WcfResponse): Uint8Array {
  return responseType.encode(checked(responseType, response)).finish();
}

/**
 * A zero-length body decodes as an empty Response (`func` 0, no payload): that is how the host reports that it
 * could not dispatch a request. Callers check the length first.
 */
export function decodeResponse(bytes: Uint8Array): WcfResponse {
  return plainBytes(responseType.toObject(responseType.decode(bytes), toObjectOptions)) as WcfResponse;
}

export function decodeRoomData(bytes: Uint8Array): RoomData {
  const decoded = roomDataType.toObject(roomDataType.decode(bytes), { ...toObjectOptions, defaults: false }) as {
    members?: { wxid?: string; name?: string; state?: number }[];
    capacity?: number;
    admins?: string[];
  };
  return {
    members: (decoded.members ?? []).map(member => ({
      wxid: member.wxid ?? '',
      ...(member.name === undefined ? {} : { name: member.name }),
      state: member.state ?? 0,
    })),
    capacity: decoded.capacity ?? 0,
    admins: decoded.admins ?? [],
  };
}

export function encodeRoomData(data: RoomData): Uint8Array {
  return roomDataType.encode(checked(roomDataType, data)).finish();
}
