import { type DbValue, dbField } from '../protocol/db-values.ts';
import { encodeRoomData } from '../protocol/wcf-codec.ts';
import type { DbRow, RpcContact } from '../protocol/wcf-messages.ts';
import type { SimRoom } from './simulator-types.ts';

/** The rows of MicroMsg.db's Contact table the simulator knows. */
export interface ContactRow {
  readonly UserName: string;
  readonly Alias: string;
  readonly Remark: string;
  readonly NickName: string;
}

/** Every SQL string literal in `text`, unquoted (`'it''s'` → `it's`). */
function stringLiterals(text: string): string[] {
  const literals: string[] = [];
  let index = text.indexOf("'");
  while (index !== -1) {
    let value = '';
    let cursor = index + 1;
    for (; cursor < text.length; cursor++) {
      if (text[cursor] === "'") {
        if (text[cursor + 1] === "'") {
          value += "'";
          cursor++;
          continue;
        }
        break;
      }
      value += text[cursor];
    }
    literals.push(value);
    index = text.indexOf("'", cursor + 1);
  }
  return literals;
}

function row(record: Readonly<Record<string, DbValue>>, columns: readonly string[]): DbRow {
  return { fields: columns.map(column => dbField(column, record[column] ?? null)) };
}

/**
 * The few queries the bridge sends, answered from the simulated account. The host runs any SQL against the
 * real databases; this is not an SQL engine, and anything else answers no rows (as a failed query does).
 *
 * - `SELECT RoomData[, …] FROM ChatRoom WHERE ChatRoomName = '…'`
 * - `SELECT <UserName|Alias|Remark|NickName>, … FROM Contact WHERE UserName IN ('…', …)` (or `= '…'`)
 */
export function answerQuery(
  db: string,
  sql: string,
  world: { readonly contacts: readonly RpcContact[]; readonly rooms: readonly SimRoom[] },
): DbRow[] {
  if (db !== 'MicroMsg.db') return [];
  const select = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)\s+WHERE\s+(\w+)\s*(=|IN)\s*(.+?);?\s*$/is.exec(sql);
  if (select === null) return [];
  const [, columnList = '', table = '', key = '', , values = ''] = select;
  const columns = columnList.split(',').map(column => column.trim());
  const wanted = new Set(stringLiterals(values));

  if (table.toLowerCase() === 'chatroom' && key.toLowerCase() === 'chatroomname') {
    return world.rooms
      .filter(room => wanted.has(room.id))
      .map(room =>
        row(
          {
            ChatRoomName: room.id,
            UserNameList: room.members.map(member => member.wxid).join('^G'),
            RoomData: encodeRoomData({
              members: room.members.map(member => ({
                wxid: member.wxid,
                ...(member.displayName === undefined ? {} : { name: member.displayName }),
                state: 0,
              })),
              capacity: 500,
              admins: room.admins ?? [],
            }),
          },
          columns,
        ),
      );
  }
  if (table.toLowerCase() === 'contact' && key.toLowerCase() === 'username') {
    const known = new Map<string, ContactRow>();
    for (const room of world.rooms) {
      for (const member of room.members) {
        known.set(member.wxid, { UserName: member.wxid, Alias: '', Remark: '', NickName: member.nickname });
      }
    }
    for (const contact of world.contacts) {
      known.set(contact.wxid, { UserName: contact.wxid, Alias: contact.code, Remark: contact.remark, NickName: contact.name });
    }
    return [...wanted].flatMap(wxid => {
      const found = known.get(wxid);
      return found === undefined ? [] : [row({ ...found }, columns)];
    });
  }
  return [];
}
