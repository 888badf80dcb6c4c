import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { Realtime, TextMessage } from '../../src/sdk/index.js';

describe('the SDK in Chromium', () => {
  it("connects, creates a conversation and sends over the browser's WebSocket", async () => {
    const info = (await executeServerCommand('lc-server', { action: 'info' })) as { wsUrl: string; appId: string };
    const realtime = new Realtime({ appId: info.appId, server: info.wsUrl });
    const client = await realtime.createIMClient('smoke-a');
    const conversation = await client.createConversation({ members: ['smoke-b'] });
    const sent = await conversation.send(new TextMessage('hi'));
    expect(sent.status).to.equal('sent');
    await realtime.close();
  });
});
