import { type BackoffOptions, backoffDelay, definePlugin, delay, type Plugin } from '@agenticgen/core';
import type { McpClient, McpClientOptions } from '../client/mcp-client.js';
import { mcpError } from '../errors.js';

/** One server of the plugin: the client options, without the tool prefix (the plugin sets it). */
export type McpServerEntry = Omit<McpClientOptions, 'toolNamePrefix'>;

export interface McpPluginOptions {
  /** Servers by name; the name prefixes their tool names (`github` → `github_create_issue`). */
  servers: Readonly<Record<string, McpServerEntry>>;
  /** Plugin name (default `mcp`); give each plugin instance its own. */
  name?: string;
  /** Delays between reconnect attempts after a server went away (default 250 ms doubling up to 30 s). */
  reconnect?: BackoffOptions & {
    /** Attempts before giving up on a server until its next use (default 10). */
    maxAttempts?: number;
  };
  /**
   * Called when a server went away or a reconnect attempt failed. The plugin keeps trying; tool calls in the
   * meantime fail as retryable `mcp-connection-closed` / `mcp-connect-failed` tool errors.
   */
  onConnectionError?: (server: string, error: unknown) => void;
}

const serverNamePattern = /^[a-zA-Z0-9-]{1,32}$/;

/** Builds `createMcpPlugin` for a runtime's `createMcpClient` (the Node one spawns stdio servers). */
export function createMcpPluginFactory(createClient: (options: McpClientOptions) => McpClient) {
  return (options: McpPluginOptions): Plugin<undefined> => {
    const entries = Object.entries(options?.servers ?? {});
    if (entries.length === 0) throw mcpError('invalid-config', 'createMcpPlugin needs at least one server in servers');
    for (const [name] of entries) {
      if (!serverNamePattern.test(name)) {
        throw mcpError(
          'invalid-config',
          `server name ${JSON.stringify(name.slice(0, 40))} must be 1–32 letters, digits or "-"`,
        );
      }
    }
    const maxAttempts = options.reconnect?.maxAttempts ?? 10;
    return definePlugin({
      name: options.name ?? 'mcp',
      version: '0.0.0',
      async setup(context) {
        const clients = entries.map(([name, entry]) => ({
          name,
          client: createClient({ ...entry, toolNamePrefix: `${name}_` }),
        }));
        const closeAll = () => Promise.all(clients.map(({ client }) => client.close()));
        context.onDispose(async () => {
          await closeAll();
        });
        try {
          // Servers connect side by side: setup costs the slowest handshake, not their sum.
          await Promise.all(
            clients.map(async ({ name, client }) => {
              await client.syncTools(context.runtime.tools).catch((error: unknown) => {
                throw mcpError('mcp-connect-failed', `server "${name}" failed at setup`, { cause: error });
              });
              client.onDisconnect((error) => {
                options.onConnectionError?.(name, error);
                void reconnect(name, client);
              });
            }),
          );
        } catch (error) {
          await closeAll();
          throw error;
        }

        const reconnect = async (name: string, client: McpClient) => {
          for (let attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
              await delay(backoffDelay(attempt, { initialDelayMs: 250, ...options.reconnect }), context.signal, 'mcp');
            } catch {
              return; // the runtime is being disposed
            }
            if (client.connected) return; // a tool call reconnected it meanwhile
            try {
              // Re-listing the tools reconnects and refreshes the runtime's registry in one step.
              await client.syncTools(context.runtime.tools);
              return;
            } catch (error) {
              options.onConnectionError?.(name, error);
            }
          }
        };
        return {};
      },
    });
  };
}
