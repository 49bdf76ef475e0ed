import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { mcpError } from '../errors.js';

/** Spawns a local server and talks to it over stdin/stdout (Node only: the `node` entry provides it). */
export interface StdioTransportConfig {
  type: 'stdio';
  /** The program to run. It runs with the host's rights: only configure commands you trust. */
  command: string;
  /** Its arguments. */
  args?: readonly string[];
  /** Its environment; default: the SDK's safe subset of the host's (PATH, HOME, …), never the whole of it. */
  env?: Readonly<Record<string, string>>;
  /** Its working directory. */
  cwd?: string;
  /** What happens to its stderr (default `inherit`). */
  stderr?: 'inherit' | 'ignore' | 'pipe';
}

/** Options shared by both HTTP transports. */
interface HttpTransportConfigBase {
  /** The server's endpoint. */
  url: string | URL;
  /** Extra headers sent with every request (API keys, tenant ids). */
  headers?: Readonly<Record<string, string>>;
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /**
   * The SDK's OAuth client flow, for servers that answer 401 (or 403 `insufficient_scope`) with an OAuth
   * challenge: discovery, registration (dynamic, pre-registered or a client ID metadata document), PKCE, token
   * refresh, and non-interactive grants when the provider implements `prepareTokenRequest` (the SDK's
   * `ClientCredentialsProvider`, `PrivateKeyJwtProvider`).
   */
  authProvider?: OAuthClientProvider;
  /**
   * Completes an authorization-code flow. After `authProvider.redirectToAuthorization(url)` sent the user to the
   * authorization server, this resolves with the `code` the redirect brought back to the provider's
   * `redirectUrl`; the client exchanges it for tokens (the transport's `finishAuth`) and repeats the refused
   * request once. Without it such a request fails (the app then finishes the flow and calls again).
   */
  authorizationCode?: () => Promise<string>;
  /** A fetch implementation (tests, proxies). */
  fetch?: typeof fetch;
}

/** The current HTTP transport: one POST endpoint, answers as JSON or as an SSE stream. */
export interface StreamableHttpTransportConfig extends HttpTransportConfigBase {
  type: 'streamable-http';
}

/** The legacy HTTP+SSE transport (protocol 2024-11-05): a GET event stream plus a POST endpoint. */
export interface SseTransportConfig extends HttpTransportConfigBase {
  type: 'sse';
}

/** Any transport object of the SDK (in-memory pairs, WebSocket, your own). */
export interface CustomTransportConfig {
  type: 'custom';
  /** Called at each (re)connect; a transport object can be started only once. */
  create(): Transport;
}

export type McpTransportConfig =
  | StdioTransportConfig
  | StreamableHttpTransportConfig
  | SseTransportConfig
  | CustomTransportConfig;

/** Opens a stdio transport; only the Node entry has one. */
export type StdioOpener = (config: StdioTransportConfig) => Transport;

/** The `authorizationCode` callback of an HTTP transport config, if it has one. */
export function authorizationCodeOf(config: McpTransportConfig): (() => Promise<string>) | undefined {
  return config.type === 'streamable-http' || config.type === 'sse' ? config.authorizationCode : undefined;
}

/** Builds a fresh SDK transport for one connection attempt. */
export function openTransport(config: McpTransportConfig, openStdio: StdioOpener | undefined): Transport {
  switch (config?.type) {
    case 'stdio':
      if (openStdio === undefined) {
        throw mcpError(
          'unsupported',
          'the stdio transport needs Node (it spawns a process); in a browser use streamable-http or sse',
        );
      }
      if (typeof config.command !== 'string' || config.command === '') {
        throw mcpError('invalid-config', 'stdio transport needs a command');
      }
      return openStdio(config);
    case 'streamable-http':
      return new StreamableHTTPClientTransport(toUrl(config.url), httpOptions(config));
    case 'sse':
      return new SSEClientTransport(toUrl(config.url), httpOptions(config));
    case 'custom':
      if (typeof config.create !== 'function') throw mcpError('invalid-config', 'custom transport needs create()');
      return config.create();
    default:
      throw mcpError('invalid-config', 'transport.type must be stdio, streamable-http, sse or custom');
  }
}

function toUrl(url: string | URL): URL {
  try {
    return new URL(url);
  } catch (error) {
    throw mcpError('invalid-config', 'transport.url is not a valid URL', { cause: error });
  }
}

function httpOptions(config: HttpTransportConfigBase) {
  const headers: Record<string, string> = { ...config.headers };
  if (config.bearerToken !== undefined) headers.Authorization = `Bearer ${config.bearerToken}`;
  const options: {
    requestInit: RequestInit;
    authProvider?: OAuthClientProvider;
    fetch?: typeof fetch;
  } = { requestInit: { headers } };
  if (config.authProvider !== undefined) options.authProvider = config.authProvider;
  if (config.fetch !== undefined) options.fetch = config.fetch;
  return options;
}
