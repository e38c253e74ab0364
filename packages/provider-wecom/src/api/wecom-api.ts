import { WechatRequestError } from '@wechat/provider-api';
import * as v from 'valibot';
import { checkMediaSize, type WecomMediaType } from './media-limits.ts';
import type { JsonObject, WecomApiClient, WecomDownload } from './wecom-api-client.ts';
import {
  agentSchema,
  appchatCreateSchema,
  appchatSchema,
  departmentListSchema,
  externalContactSchema,
  sendResultSchema,
  uploadResultSchema,
  userListSchema,
  userSchema,
  type WecomAgent,
  type WecomAppchat,
  type WecomExternalContact,
  type WecomUser,
} from './wecom-api-schemas.ts';

/** A message body (`msgtype` plus its object) without the addressing: the same for `message/send` and `appchat/send`. */
export type WecomMessageBody = { readonly msgtype: string } & Readonly<Record<string, unknown>>;

export interface UploadableMedia {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName: string;
}

/** The WeCom endpoints the provider uses (reference A.1–A.3), with their answers validated. */
export interface WecomApi {
  getAgent(agentId: number): Promise<WecomAgent>;
  sendMessage(touser: string, agentId: number, body: WecomMessageBody): Promise<{ readonly msgid: string | undefined }>;
  sendToAppchat(chatid: string, body: WecomMessageBody): Promise<{ readonly msgid: string | undefined }>;
  recallMessage(msgid: string): Promise<void>;
  /** Checks the size against the per-type limit first: too large never uploads. */
  uploadMedia(type: WecomMediaType, media: UploadableMedia): Promise<string>;
  downloadMedia(mediaId: string, signal?: AbortSignal): Promise<WecomDownload>;
  getUser(userid: string): Promise<WecomUser>;
  listDepartments(): Promise<readonly { readonly id: number; readonly name: string }[]>;
  listDepartmentUsers(departmentId: number): Promise<readonly WecomUser[]>;
  getExternalContact(externalUserid: string): Promise<WecomExternalContact>;
  createAppchat(params: { readonly name: string; readonly owner: string; readonly userlist: readonly string[] }): Promise<string>;
  getAppchat(chatid: string): Promise<WecomAppchat>;
  updateAppchat(params: {
    readonly chatid: string;
    readonly name?: string;
    readonly add_user_list?: readonly string[];
    readonly del_user_list?: readonly string[];
  }): Promise<void>;
}

export function createWecomApi(client: WecomApiClient, providerId?: string): WecomApi {
  const parse = <SCHEMA extends v.GenericSchema>(schema: SCHEMA, body: JsonObject, operation: string): v.InferOutput<SCHEMA> => {
    const result = v.safeParse(schema, body);
    if (result.success) return result.output;
    throw new WechatRequestError({
      operation,
      statusCode: 200,
      retryable: false,
      message: `WeCom ${operation} answered an unexpected shape: ${v.summarize(result.issues)}`,
      ...(providerId === undefined ? {} : { providerId }),
    });
  };
  const call = async <SCHEMA extends v.GenericSchema>(
    schema: SCHEMA,
    request: Parameters<WecomApiClient['call']>[0],
  ): Promise<v.InferOutput<SCHEMA>> => parse(schema, await client.call(request), request.operation);

  return {
    getAgent: agentId => call(agentSchema, { operation: 'agent/get', query: { agentid: agentId } }),
    sendMessage: async (touser, agentId, body) => {
      const result = await call(sendResultSchema, {
        operation: 'message/send',
        json: { touser, agentid: agentId, safe: 0, ...body },
      });
      return { msgid: result.msgid };
    },
    sendToAppchat: async (chatid, body) => {
      const result = await call(sendResultSchema, {
        operation: 'appchat/send',
        json: { chatid, safe: 0, ...body },
        subject: { entity: 'room', id: chatid },
      });
      return { msgid: result.msgid };
    },
    recallMessage: async msgid => {
      await client.call({ operation: 'message/recall', json: { msgid }, subject: { entity: 'message', id: msgid } });
    },
    uploadMedia: async (type, media) => {
      checkMediaSize(type, media.data.byteLength, providerId);
      const result = await call(uploadResultSchema, {
        operation: 'media/upload',
        query: { type },
        form: () => {
          const form = new FormData();
          form.append('media', new Blob([new Uint8Array(media.data)], { type: media.mimeType }), media.fileName);
          return form;
        },
      });
      return result.media_id;
    },
    downloadMedia: (mediaId, signal) =>
      client.download({
        operation: 'media/get',
        query: { media_id: mediaId },
        subject: { entity: 'media', id: mediaId },
        ...(signal ? { signal } : {}),
      }),
    getUser: userid => call(userSchema, { operation: 'user/get', query: { userid }, subject: { entity: 'contact', id: userid } }),
    listDepartments: async () => (await call(departmentListSchema, { operation: 'department/list' })).department,
    listDepartmentUsers: async departmentId =>
      (await call(userListSchema, { operation: 'user/list', query: { department_id: departmentId } })).userlist,
    getExternalContact: async externalUserid =>
      (
        await call(externalContactSchema, {
          operation: 'externalcontact/get',
          query: { external_userid: externalUserid },
          subject: { entity: 'contact', id: externalUserid },
        })
      ).external_contact,
    createAppchat: async params => (await call(appchatCreateSchema, { operation: 'appchat/create', json: params })).chatid,
    getAppchat: async chatid =>
      (await call(appchatSchema, { operation: 'appchat/get', query: { chatid }, subject: { entity: 'room', id: chatid } }))
        .chat_info,
    updateAppchat: async params => {
      await client.call({ operation: 'appchat/update', json: params, subject: { entity: 'room', id: params.chatid } });
    },
  };
}
