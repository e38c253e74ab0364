// A provider-specific suite, run next to the built-in ones: `suites: [...allSuites, roomSuite]`.
import { createSuite } from '@wechat/provider-testkit';

export const roomSuite = createSuite('rooms', [
  {
    name: 'renames a room',
    notApplicable: ({ provider }) =>
      provider.capabilities.rooms.rename === 'none' ? "capabilities.rooms.rename is 'none'" : undefined,
    run: async context => {
      const { session } = await context.startConnected();
      const mark = context.events.length;
      await session.session.renameRoom!(context.fixtures.roomId, context.unique('new name'));
      await context.waitForEvent((event, { index }) => index >= mark && event.type === 'room-updated');
    },
  },
]);
