// The app under test of the README's remote-mock example: a bot in a process of its own that answers "ding"
// with "dong". It knows nothing of the test: it loads the provider by name and is configured like any app.
import process from 'node:process';
import { loadProvider, openSession } from '@wechat/provider-api';

const provider = await loadProvider('@wechat/provider-testkit/remote-mock', { importModule: name => import(name) });
const session = openSession(provider, { config: { url: process.env.MOCK_URL, token: process.env.MOCK_TOKEN } });
session.on('message-received', async ({ message }) => {
  if (!message.isSelf && message.content.kind === 'text' && message.content.text === 'ding') {
    await session.sendMessage({ to: message.chat, content: { kind: 'text', text: 'dong' } });
  }
});
// A stopped session holds no socket and no timer, so the process ends by itself.
process.once('SIGTERM', () => void session.stop());

await session.start();
if (session.state === 'awaiting-login') {
  const login = await session.login!();
  let step = await login.start();
  console.log(`scan ${step.type === 'qr-code' ? step.data : step.type}`);
  while (step.type !== 'complete') step = await login.next();
}
console.log(`ready as ${(await session.getSelf()).id}`);
