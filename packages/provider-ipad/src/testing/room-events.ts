import { contactModData, delContactsData, roomModData } from './contact-info.ts';
import { sysMsgTemplateXml, type TemplateLink } from './message-xml.ts';
import type { SimCore } from './sim-core.ts';
import type { SimRoom } from './sim-world.ts';

/** Callbacks that follow a change of rooms or contacts (B.6: ModContacts, DelContacts, system messages). */
export function roomChanged(core: SimCore, room: SimRoom): Promise<void> {
  return core.push('ModContacts', roomModData(core, room));
}

export function contactChanged(core: SimCore, wxid: string): Promise<void> {
  return core.push('ModContacts', contactModData(core, wxid));
}

export function contactRemoved(core: SimCore, userName: string): Promise<void> {
  return core.push('DelContacts', delContactsData(userName));
}

/** MsgType 10002 sysmsgtemplate, prefixed with the room id (B.6 "Group system messages", trap 12). */
export function roomTemplate(core: SimCore, room: SimRoom, template: string, links: readonly TemplateLink[]): Promise<string> {
  return core.emitMessage({
    sender: room.roomId,
    chat: room.roomId,
    msgType: 10002,
    content: sysMsgTemplateXml(template, links),
    form: 'system-xml',
  });
}

/** MsgType 10000 plain system text ("你修改群名为…", "你被…移出群聊"), from the room, without a prefix. */
export function roomNotice(core: SimCore, room: SimRoom, text: string): Promise<string> {
  return core.emitMessage({ sender: room.roomId, chat: room.roomId, msgType: 10000, content: text, form: 'system-text' });
}

export function membersLink(core: SimCore, room: SimRoom, name: string, wxids: readonly string[]): TemplateLink {
  return { name, members: wxids.map(wxid => ({ userName: wxid, nickName: core.world.displayNameIn(room, wxid) })) };
}
