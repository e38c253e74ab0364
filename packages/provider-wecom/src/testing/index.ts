// `@wechat/provider-wecom/testing`: WeCom's side, for tests of the provider and of bots built on it.
export {
  type FakeWecomFailure,
  type FakeWecomRequestRecord,
  type FakeWecomServer,
  type FakeWecomServerOptions,
  startFakeWecomServer,
} from './fake-wecom-server.ts';
export {
  defaultFakeAppchats,
  defaultFakeDepartments,
  defaultFakeExternalContacts,
  defaultFakeUsers,
  type FakeAppchat,
  type FakeExternalContact,
  type FakeMedia,
  type FakeSentMessage,
  type FakeWecomDepartment,
  type FakeWecomUser,
  type FakeWecomWorldOptions,
} from './fake-wecom-world.ts';
export {
  type CallbackDelivery,
  type CallbackRequest,
  type CallbackRequestOptions,
  type CallbackSender,
  type CallbackSenderOptions,
  createCallbackSender,
} from './callback-sender.ts';
export { buildCallbackXml, type CallbackMessageCommon, type CallbackMessageInput, randomMsgId } from './callback-message-xml.ts';
