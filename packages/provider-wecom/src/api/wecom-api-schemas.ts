import * as v from 'valibot';

// Only the fields the provider reads; WeCom adds fields freely, so every object is loose.

const optionalString = v.optional(v.string());

export const agentSchema = v.looseObject({
  agentid: v.number(),
  name: v.string(),
  square_logo_url: optionalString,
  description: optionalString,
});
export type WecomAgent = v.InferOutput<typeof agentSchema>;

export const userSchema = v.looseObject({
  userid: v.string(),
  name: v.string(),
  department: v.optional(v.array(v.number())),
  alias: optionalString,
  position: optionalString,
  /** "1" male, "2" female, "0" unknown; absent for apps created after 2022-06-20 (trap 7). */
  gender: optionalString,
  avatar: optionalString,
  thumb_avatar: optionalString,
});
export type WecomUser = v.InferOutput<typeof userSchema>;

export const userListSchema = v.looseObject({ userlist: v.array(userSchema) });

export const departmentListSchema = v.looseObject({
  department: v.array(v.looseObject({ id: v.number(), name: v.string(), parentid: v.optional(v.number()) })),
});

export const externalContactSchema = v.looseObject({
  external_contact: v.looseObject({
    external_userid: v.string(),
    name: v.string(),
    avatar: optionalString,
    /** 1: a WeChat user; 2: a WeCom user of another corp. */
    type: v.optional(v.number()),
    gender: v.optional(v.number()),
  }),
});
export type WecomExternalContact = v.InferOutput<typeof externalContactSchema>['external_contact'];

export const sendResultSchema = v.looseObject({
  msgid: optionalString,
  invaliduser: optionalString,
  invalidparty: optionalString,
  invalidtag: optionalString,
});

export const uploadResultSchema = v.looseObject({
  type: optionalString,
  media_id: v.string(),
  /** A string, oddly (reference A.2). */
  created_at: v.optional(v.union([v.string(), v.number()])),
});

export const appchatCreateSchema = v.looseObject({ chatid: v.string() });

export const appchatSchema = v.looseObject({
  chat_info: v.looseObject({
    chatid: v.string(),
    name: v.string(),
    owner: optionalString,
    userlist: v.array(v.string()),
  }),
});
export type WecomAppchat = v.InferOutput<typeof appchatSchema>['chat_info'];
