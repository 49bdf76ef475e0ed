import {
  type AgenticGenError,
  type AnyTool,
  type AsyncResource,
  createEventBus,
  disposeOnce,
  type EventBus,
  type ToolRegistry,
} from '@agenticgen/core';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type GetPromptResult,
  type Tool as McpToolDefinition,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { mcpError, toMcpError } from '../errors.js';
import { coreToolName, type McpProgressEvent, remoteTool } from './remote-tool.js';
import { installServerRequestHandlers, type ServerRequestHandlers } from './server-requests.js';
import { authorizationCodeOf, type McpTransportConfig, openTransport, type StdioOpener } from './transport.js';

export type { McpProgressEvent };

export interface McpClientOptions extends ServerRequestHandlers {
  /** How to reach the server. */
  transport: McpTransportConfig;
  /** Name sent to the server as `clientInfo.name` (default `agenticgen`). */
  name?: string;
  /** Prefix of the core tool names (`github_` → `github_create_issue`); default none. */
  toolNamePrefix?: string;
  /** Time limit of one request in ms (default 60 s); a tool call also stops at its tool timeout. */
  timeoutMs?: number;
  /** Time limit of connecting and the `initialize` handshake in ms (default 30 s). */
  connectTimeoutMs?: number;
  /** Most characters of content (text plus base64) one tool result may carry (default 1,000,000). */
  maxResultCharacters?: number;
  /**
   * @deprecated Use `maxResultCharacters` (no abbreviations in public names, as core's loaders); it wins when
   * both are given. Removed in the next minor release.
   */
  maxResultChars?: number;
  /** Most tools taken from one server (default 500); more is `mcp-limit-exceeded`. */
  maxTools?: number;
  /**
   * When true, every server tool not annotated `readOnlyHint: true` is marked `needsApproval`, so an agent
   * suspends the run until a person approves the call (default false).
   */
  approveTools?: boolean;
  /** Called when the server announces a changed tool list, after the new list was fetched. */
  onToolsChanged?: (tools: readonly AnyTool[]) => void;
  /** Called with `notifications/progress` of a running tool call (same as a `tool-progress` listener). */
  onProgress?: (event: McpProgressEvent) => void;
}

/** Events of one client, on a core `EventBus`. */
export interface McpClientEvents {
  /**
   * A `notifications/progress` the server sent during a tool call. A progress token is sent with a call only
   * while someone listens (or `onProgress` is set).
   */
  'tool-progress': McpProgressEvent;
}

/** A connection to one MCP server. */
export interface McpClient extends AsyncResource {
  /** The client's events (`tool-progress`). */
  readonly events: EventBus<McpClientEvents>;
  /** Connects (idempotent; after the server went away, connects again). */
  connect(): Promise<void>;
  /** True between a successful connect and a close. */
  readonly connected: boolean;
  /** The server's tools as core tools (fetched once, refreshed on `notifications/tools/list_changed`). */
  tools(): Promise<AnyTool[]>;
  /**
   * Keeps `registry` (an agent's `agent.tools`, a runtime's `runtime.tools`) in step with the server's tool
   * list: registers the tools now and re-registers them whenever the server announces a change. Returns a
   * function that stops following and removes the tools.
   */
  syncTools(registry: ToolRegistry): Promise<() => void>;
  /** Lists resources (every page, up to `maxTools` × 10). */
  listResources(): Promise<Resource[]>;
  /** Reads one resource. */
  readResource(uri: string, options?: { signal?: AbortSignal }): Promise<ReadResourceResult>;
  /**
   * Subscribes to `notifications/resources/updated` for one URI (the server must support subscriptions);
   * `listener` runs on each update. Returns a function that unsubscribes. Subscriptions last one connection.
   */
  subscribeResource(uri: string, listener: (uri: string) => void): Promise<() => Promise<void>>;
  /** Lists prompts. */
  listPrompts(): Promise<Prompt[]>;
  /** Gets one prompt with its arguments filled. */
  getPrompt(name: string, args?: Record<string, string>): Promise<GetPromptResult>;
  /** Called when the connection closes unexpectedly (crash, network); returns an unsubscribe function. */
  onDisconnect(listener: (error: AgenticGenError) => void): () => void;
  /** Closes the connection (a stdio child is terminated). Idempotent; the same as `dispose()`. */
  close(): Promise<void>;
}

interface Session {
  client: Client;
  transport: Transport;
}

const defaults = { timeoutMs: 60_000, connectTimeoutMs: 30_000, maxResultCharacters: 1_000_000, maxTools: 500 };
const version = '0.0.0';

/** Builds `createMcpClient` for a runtime: the Node entry passes the stdio opener, the browser entry none. */
export function createMcpClientFactory(openStdio: StdioOpener | undefined) {
  return (options: McpClientOptions): McpClient => createClient(options, openStdio);
}

function createClient(options: McpClientOptions, openStdio: StdioOpener | undefined): McpClient {
  if (options === null || typeof options !== 'object' || options.transport === undefined) {
    throw mcpError('invalid-config', 'createMcpClient needs { transport }');
  }
  const { maxResultChars, ...given } = withoutUndefined(options);
  const settings = {
    ...defaults,
    ...(maxResultChars === undefined ? {} : { maxResultCharacters: maxResultChars }),
    ...given,
  };
  for (const key of ['timeoutMs', 'connectTimeoutMs', 'maxResultCharacters', 'maxTools'] as const) {
    if (!(settings[key] > 0)) throw mcpError('invalid-config', `${key} must be a positive number`);
  }
  let session: Session | undefined;
  let connecting: Promise<Session> | undefined;
  let closed = false;
  let toolCache: Promise<AnyTool[]> | undefined;
  /** A refresh started by `list_changed`; a tool call that caused the change returns only after it. */
  let refreshing: Promise<void> | undefined;
  const disconnectListeners = new Set<(error: AgenticGenError) => void>();
  const registries = new Set<ToolRegistry>();
  const resourceListeners = new Map<string, Set<(uri: string) => void>>();
  const events = createEventBus<McpClientEvents>();
  if (options.onProgress !== undefined) events.on('tool-progress', options.onProgress);

  const authorizationCode = authorizationCodeOf(options.transport);
  /**
   * After the SDK's OAuth flow redirected the user (it then refuses the request with UnauthorizedError), waits
   * for the code, exchanges it on the transport that saw the challenge (it keeps the resource metadata URL
   * and scope) and says whether to repeat the request.
   */
  const authorize = async (transport: Transport | undefined, error: unknown): Promise<boolean> => {
    if (authorizationCode === undefined || !(error instanceof UnauthorizedError)) return false;
    const finish = (transport as { finishAuth?: (code: string) => Promise<void> } | undefined)?.finishAuth;
    if (finish === undefined) return false;
    await finish.call(transport, await authorizationCode());
    return true;
  };

  const connectOnce = async (authorizing = false): Promise<Session> => {
    const transport = openTransport(options.transport, openStdio);
    const client = new Client(
      { name: options.name ?? 'agenticgen', version },
      { capabilities: installServerRequestHandlers.capabilities(options) },
    );
    installServerRequestHandlers(client, options);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      toolCache = undefined;
      const refresh = refreshRegistries().finally(() => {
        if (refreshing === refresh) refreshing = undefined;
      });
      refreshing = refresh;
    });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      for (const listener of resourceListeners.get(notification.params.uri) ?? []) listener(notification.params.uri);
    });
    const current: Session = { client, transport };
    client.onclose = () => {
      if (session !== current) return;
      session = undefined;
      toolCache = undefined;
      resourceListeners.clear(); // the server forgot them with the connection
      if (closed) return;
      const error = mcpError('mcp-connection-closed', 'the server closed the connection');
      for (const listener of disconnectListeners) listener(error);
    };
    try {
      await client.connect(transport, { timeout: settings.connectTimeoutMs });
    } catch (error) {
      const retry = !authorizing && (await authorize(transport, error).catch(() => false));
      await transport.close().catch(() => undefined);
      if (retry) return connectOnce(true);
      const mapped = toMcpError(error, 'connect');
      if (mapped.code === 'unsupported' || mapped.code === 'invalid-config') throw mapped;
      const reason =
        mapped.code === 'timeout'
          ? `no answer to initialize within ${settings.connectTimeoutMs} ms`
          : mapped.message.replace(/^\[mcp\] /, '');
      throw mcpError('mcp-connect-failed', `connect failed: ${reason}`, { cause: mapped });
    }
    return current;
  };

  const ensureSession = async (): Promise<Session> => {
    if (closed) throw mcpError('disposed', 'the client was closed');
    if (session !== undefined) return session;
    connecting ??= connectOnce().finally(() => {
      connecting = undefined;
    });
    session = await connecting;
    return session;
  };

  /** Runs one request on the session, repeating it once after an OAuth authorization it asked for. */
  const authorized = async <T>(run: (sdk: Client) => Promise<T>): Promise<T> => {
    const { client: sdk } = await ensureSession();
    try {
      return await run(sdk);
    } catch (error) {
      if (!(await authorize(sdk.transport, error))) throw error;
      return run(sdk);
    }
  };

  const fetchTools = async (): Promise<AnyTool[]> => {
    const definitions: McpToolDefinition[] = [];
    let cursor: string | undefined;
    do {
      const page = await authorized((sdk) =>
        sdk.listTools(cursor === undefined ? {} : { cursor }, { timeout: settings.timeoutMs }),
      ).catch((error: unknown) => {
        throw toMcpError(error, 'tools/list');
      });
      definitions.push(...page.tools);
      if (definitions.length > settings.maxTools) {
        throw mcpError('mcp-limit-exceeded', `the server lists more than maxTools (${settings.maxTools}) tools`);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const names = new Set<string>();
    return definitions.map((definition) => {
      const tool = toCoreTool(definition);
      if (names.has(tool.name)) {
        throw mcpError('mcp-invalid-tool', `two server tools map to the core name "${tool.name}"`);
      }
      names.add(tool.name);
      return tool;
    });
  };

  const toCoreTool = (definition: McpToolDefinition): AnyTool =>
    remoteTool(definition, {
      name: coreToolName(options.toolNamePrefix ?? '', definition.name),
      timeoutMs: settings.timeoutMs,
      maxResultChars: settings.maxResultCharacters,
      approveTools: options.approveTools === true,
      events,
      session: () => session?.client ?? ensureSession().then((connected) => connected.client),
      // The server announces a changed list before it answers the call that changed it: a call waits for the
      // refresh, so the agent's next step already offers the new tools.
      settled: () => refreshing,
      ...(authorizationCode === undefined
        ? {}
        : { authorize: (sdk: Client, error: unknown) => authorize(sdk.transport, error) }),
    });

  const tools = (): Promise<AnyTool[]> => {
    toolCache ??= fetchTools().catch((error: unknown) => {
      toolCache = undefined;
      throw error;
    });
    return toolCache;
  };

  const registered = new WeakMap<ToolRegistry, string[]>();
  const refreshRegistries = async (): Promise<void> => {
    let fresh: AnyTool[];
    try {
      fresh = await tools();
    } catch {
      return; // the next call of tools() retries; a bad list must not break the agent
    }
    for (const registry of registries) replaceTools(registry, fresh);
    options.onToolsChanged?.(fresh);
  };
  const replaceTools = (registry: ToolRegistry, fresh: readonly AnyTool[]) => {
    for (const name of registered.get(registry) ?? []) registry.unregister(name);
    for (const tool of fresh) registry.register(tool);
    registered.set(
      registry,
      fresh.map((tool) => tool.name),
    );
  };

  const release = disposeOnce(closeConnection);
  const client: McpClient = {
    events,
    get connected() {
      return session !== undefined;
    },
    async connect() {
      await ensureSession();
    },
    tools,
    async syncTools(registry) {
      replaceTools(registry, await tools());
      registries.add(registry);
      return () => {
        registries.delete(registry);
        for (const name of registered.get(registry) ?? []) registry.unregister(name);
        registered.delete(registry);
      };
    },
    async listResources() {
      const all: Resource[] = [];
      let cursor: string | undefined;
      do {
        const page = await authorized((sdk) =>
          sdk.listResources(cursor === undefined ? {} : { cursor }, { timeout: settings.timeoutMs }),
        ).catch((error: unknown) => {
          throw toMcpError(error, 'resources/list');
        });
        all.push(...page.resources);
        if (all.length > settings.maxTools * 10) {
          throw mcpError('mcp-limit-exceeded', `the server lists more than ${settings.maxTools * 10} resources`);
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return all;
    },
    async readResource(uri, callOptions = {}) {
      if (typeof uri !== 'string' || uri === '') throw mcpError('invalid-argument', 'readResource needs a URI');
      const requestOptions = callOptions.signal === undefined ? {} : { signal: callOptions.signal };
      return authorized((sdk) => sdk.readResource({ uri }, { timeout: settings.timeoutMs, ...requestOptions })).catch(
        (error: unknown) => {
          throw toMcpError(error, 'resources/read');
        },
      );
    },
    async subscribeResource(uri, listener) {
      if (typeof uri !== 'string' || uri === '') throw mcpError('invalid-argument', 'subscribeResource needs a URI');
      let listeners = resourceListeners.get(uri);
      if (listeners === undefined) {
        await authorized((sdk) => sdk.subscribeResource({ uri }, { timeout: settings.timeoutMs })).catch(
          (error: unknown) => {
            throw toMcpError(error, 'resources/subscribe');
          },
        );
        listeners = new Set();
        resourceListeners.set(uri, listeners);
      }
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        if (listeners.size > 0 || resourceListeners.get(uri) !== listeners) return;
        resourceListeners.delete(uri);
        if (session === undefined) return;
        await session.client.unsubscribeResource({ uri }, { timeout: settings.timeoutMs }).catch((error: unknown) => {
          throw toMcpError(error, 'resources/unsubscribe');
        });
      };
    },
    async listPrompts() {
      const page = await authorized((sdk) => sdk.listPrompts({}, { timeout: settings.timeoutMs })).catch(
        (error: unknown) => {
          throw toMcpError(error, 'prompts/list');
        },
      );
      return page.prompts;
    },
    async getPrompt(name, args) {
      const params = args === undefined ? { name } : { name, arguments: args };
      return authorized((sdk) => sdk.getPrompt(params, { timeout: settings.timeoutMs })).catch((error: unknown) => {
        throw toMcpError(error, 'prompts/get');
      });
    },
    onDisconnect(listener) {
      disconnectListeners.add(listener);
      return () => disconnectListeners.delete(listener);
    },
    close: release,
    dispose: release,
    [Symbol.asyncDispose]: release,
  };
  return client;

  /** One close for every `close()` / `dispose()` / `await using`; overlapping calls wait for the first. */
  async function closeConnection(): Promise<void> {
    closed = true;
    const current = session ?? (await connecting?.catch(() => undefined));
    session = undefined;
    if (current !== undefined) await current.client.close().catch(() => undefined);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
