/**
 * What an app using the official SDK (3.x or 4.x) can install so that a
 * conversation's pushes are emitted in the order they arrived: a plugin
 * (`new Realtime({ plugins: [inArrivalOrder] })`) that makes each IMClient
 * handle one conversation's `direct` and `conv` pushes one after another,
 * as our SDK does (src/sdk/push-handler.ts). The SDK otherwise handles
 * each push on its own, and a push whose conversation is already cached
 * overtakes earlier ones still waiting for their `conv query`
 * (docs/official-sdk-message-order.md). A bonus: only the first push of an unknown
 * conversation queries it; the ones behind it find it cached.
 *
 * It wraps two methods the SDKs call on their own instance
 * (`_dispatchDirectMessage`, `_dispatchConvMessage`), private in both
 * 3.5.7 and 4.3.1: pin the SDK's version where it is used. docs/official-sdk-message-order.md
 * has it in plain JavaScript.
 */
interface PushCommand {
  directMessage?: { cid?: string | null } | null;
  convMessage?: { cid?: string | null } | null;
}
type Dispatch = (command: PushCommand) => Promise<unknown>;
interface OfficialImClient {
  _dispatchDirectMessage: Dispatch;
  _dispatchConvMessage: Dispatch;
}

export const inArrivalOrder = {
  name: 'in-arrival-order',
  onIMClientCreate(client: OfficialImClient): void {
    /** Per conversation, the end of the pushes handled or waiting. */
    const tails = new Map<string, Promise<unknown>>();
    const serialize = (dispatch: Dispatch, cidOf: (command: PushCommand) => string | null | undefined): Dispatch => {
      return (command) => {
        const cid = cidOf(command);
        if (!cid) return dispatch(command);
        const run = (tails.get(cid) ?? Promise.resolve()).then(() => dispatch(command));
        // A push that fails (its query timed out, say) must not stop the ones behind it.
        const tail = run.catch(() => {});
        tails.set(cid, tail);
        void tail.then(() => {
          if (tails.get(cid) === tail) tails.delete(cid);
        });
        return run;
      };
    };
    client._dispatchDirectMessage = serialize(client._dispatchDirectMessage.bind(client), (command) => command.directMessage?.cid);
    client._dispatchConvMessage = serialize(client._dispatchConvMessage.bind(client), (command) => command.convMessage?.cid);
  },
};
