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
 *
 * Hooks that throw are reported with the plugin's `name` ({@link PluginError}).
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

/** Extension points a plugin may fill. */
export type PluginPoint = HookName;

const POINTS: readonly HookName[] = [
  'onRealtimeCreate',
  'onIMClientCreate',
  'onConversationCreate',
  'beforeMessageParse',
  'afterMessageParse',
  'beforeMessageDispatch',
];

/**
 * An error thrown by a plugin's hook, naming the plugin (guide: 插件规范,
 * the `name` shows which plugin failed). The original error is `cause`.
 */
export class PluginError extends Error {
  override name = 'PluginError';
  /** The failing plugin's `name`, or `(anonymous)`. */
  readonly plugin: string;
  /** The extension point whose hook threw. */
  readonly point: PluginPoint;

  constructor(plugin: Plugin, point: PluginPoint, cause: unknown) {
    const pluginName = plugin.name || '(anonymous)';
    super(`plugin ${pluginName} failed in ${point}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.plugin = pluginName;
    this.point = point;
  }
}

/**
 * The plugins of a Realtime, with their hooks flattened per extension point.
 *
 * Decorators run synchronously as instances are made; one that throws
 * makes that call (`new Realtime`, `createIMClient`, …) fail with a
 * {@link PluginError}. Middlewares and dispatch filters run for every
 * received message; one that throws is reported to `onError` and skipped
 * (its input passes on unchanged), so a faulty plugin cannot make messages
 * disappear.
 */
export class Plugins {
  readonly #plugins: readonly Plugin[];
  readonly #onError: (error: PluginError) => void;

  /**
   * @param plugins the plugins, in the order their hooks run
   * @param onError receives the errors of middlewares and dispatch filters
   * @throws TypeError for a plugin that is not an object, or a hook that is not a function
   */
  constructor(plugins: readonly Plugin[] = [], onError: (error: PluginError) => void = () => {}) {
    if (!Array.isArray(plugins)) throw new TypeError('plugins must be an array of plugin objects');
    for (const plugin of plugins) validate(plugin);
    this.#plugins = plugins;
    this.#onError = onError;
  }

  /** Message classes contributed by the plugins. */
  messageClasses(): MessageClass[] {
    return this.#plugins.flatMap((plugin) => plugin.messageClasses ?? []);
  }

  /**
   * Calls every decorator of the extension point with the instance.
   * @throws PluginError if one throws
   */
  decorate(point: 'onRealtimeCreate', target: Realtime): void;
  decorate(point: 'onIMClientCreate', target: IMClient): void;
  decorate(point: 'onConversationCreate', target: Conversation): void;
  decorate(point: 'onRealtimeCreate' | 'onIMClientCreate' | 'onConversationCreate', target: unknown): void {
    for (const { plugin, hook } of this.#hooks(point)) {
      try {
        (hook as (target: unknown) => void)(target);
      } catch (error) {
        throw new PluginError(plugin, point, error);
      }
    }
  }

  /** Runs a value through the extension point's middlewares; a failing one is reported and skipped. */
  async apply<T>(point: 'beforeMessageParse' | 'afterMessageParse', value: T): Promise<T> {
    let result = value;
    for (const { plugin, hook } of this.#hooks(point)) {
      try {
        result = await (hook as Middleware<T>)(result);
      } catch (error) {
        this.#onError(new PluginError(plugin, point, error));
      }
    }
    return result;
  }

  /** Whether every `beforeMessageDispatch` hook lets the message through (a failing one does not stop it). */
  async shouldDispatch(message: Message, conversation: Conversation): Promise<boolean> {
    for (const { plugin, hook } of this.#hooks('beforeMessageDispatch')) {
      try {
        if ((await hook(message, conversation)) === false) return false;
      } catch (error) {
        this.#onError(new PluginError(plugin, 'beforeMessageDispatch', error));
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

function validate(plugin: Plugin): void {
  if (typeof plugin !== 'object' || plugin === null) throw new TypeError(`${String(plugin)} is not a plugin object`);
  const name = plugin.name || '(anonymous)';
  for (const point of POINTS) {
    const hooks = plugin[point];
    if (hooks === undefined) continue;
    const list: unknown[] = Array.isArray(hooks) ? hooks : [hooks];
    if (list.some((hook) => typeof hook !== 'function')) throw new TypeError(`plugin ${name}: ${point} must be a function or a list of functions`);
  }
  if (plugin.messageClasses !== undefined && !Array.isArray(plugin.messageClasses)) {
    throw new TypeError(`plugin ${name}: messageClasses must be an array of message classes`);
  }
}
