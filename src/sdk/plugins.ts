/**
 * Plugins (guide: 插件): objects of optional extension points.
 *
 * - decorators, called with each new instance: `onRealtimeCreate`,
 *   `onIMClientCreate`, `onConversationCreate`;
 * - middlewares, applied in plugin order, each receiving the previous one's
 *   result (sync or a Promise): `beforeMessageParse` (the decoded payload)
 *   and `afterMessageParse` (the parsed message);
 * - `beforeMessageDispatch(message, conversation)`: return `false` to keep a
 *   received message from being emitted;
 * - `messageClasses`: registered with `realtime.register`.
 */
import type { Conversation } from './conversation.js';
import type { IMClient } from './im-client.js';
import type { Message } from './messages/message.js';
import type { MessageClass } from './messages/registry.js';
import type { Realtime } from './realtime.js';

/** A middleware: returns its (possibly replaced) input, or a Promise of it. */
export type Middleware<T> = (value: T) => T | Promise<T>;

type OneOrMany<T> = T | readonly T[];

/** An SDK plugin. */
export interface Plugin {
  /** Shown in errors thrown by the plugin's hooks. */
  name?: string;
  messageClasses?: readonly MessageClass[];
  onRealtimeCreate?: OneOrMany<(realtime: Realtime) => void>;
  onIMClientCreate?: OneOrMany<(client: IMClient) => void>;
  onConversationCreate?: OneOrMany<(conversation: Conversation) => void>;
  /** Receives the payload: a parsed JSON object or array, or the raw string. */
  beforeMessageParse?: OneOrMany<Middleware<unknown>>;
  afterMessageParse?: OneOrMany<Middleware<Message>>;
  beforeMessageDispatch?: OneOrMany<(message: Message, conversation: Conversation) => boolean | void | Promise<boolean | void>>;
}

type HookName = Exclude<keyof Plugin, 'name' | 'messageClasses'>;
type HookOf<K extends HookName> = NonNullable<Plugin[K]> extends OneOrMany<infer F> ? F : never;

/** The plugins of a Realtime, with their hooks flattened per extension point. */
export class Plugins {
  readonly #plugins: readonly Plugin[];

  constructor(plugins: readonly Plugin[] = []) {
    this.#plugins = plugins;
  }

  /** Message classes contributed by the plugins. */
  messageClasses(): MessageClass[] {
    return this.#plugins.flatMap((plugin) => plugin.messageClasses ?? []);
  }

  /** Calls every decorator of the extension point with the instance. */
  decorate(point: 'onRealtimeCreate', target: Realtime): void;
  decorate(point: 'onIMClientCreate', target: IMClient): void;
  decorate(point: 'onConversationCreate', target: Conversation): void;
  decorate(point: 'onRealtimeCreate' | 'onIMClientCreate' | 'onConversationCreate', target: unknown): void {
    for (const { plugin, hook } of this.#hooks(point)) {
      try {
        (hook as (target: unknown) => void)(target);
      } catch (error) {
        throw withPluginName(error, plugin);
      }
    }
  }

  /** Runs a value through the extension point's middlewares. */
  async apply<T>(point: 'beforeMessageParse' | 'afterMessageParse', value: T): Promise<T> {
    let result = value;
    for (const { plugin, hook } of this.#hooks(point)) {
      try {
        result = await (hook as Middleware<T>)(result);
      } catch (error) {
        throw withPluginName(error, plugin);
      }
    }
    return result;
  }

  /** Whether every `beforeMessageDispatch` hook lets the message through. */
  async shouldDispatch(message: Message, conversation: Conversation): Promise<boolean> {
    for (const { plugin, hook } of this.#hooks('beforeMessageDispatch')) {
      try {
        if ((await hook(message, conversation)) === false) return false;
      } catch (error) {
        throw withPluginName(error, plugin);
      }
    }
    return true;
  }

  *#hooks<K extends HookName>(point: K): Generator<{ plugin: Plugin; hook: HookOf<K> }> {
    for (const plugin of this.#plugins) {
      const hooks = plugin[point];
      if (!hooks) continue;
      for (const hook of (Array.isArray(hooks) ? hooks : [hooks]) as HookOf<K>[]) yield { plugin, hook };
    }
  }
}

function withPluginName(error: unknown, plugin: Plugin): unknown {
  if (plugin.name && error instanceof Error) error.message += ` [plugin ${plugin.name}]`;
  return error;
}
