import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { StdioTransportConfig } from '../client/transport.js';

/** Spawns the server process; closing the transport ends the child (the SDK sends SIGTERM, then SIGKILL). */
export function openStdioTransport(config: StdioTransportConfig): Transport {
  const parameters: ConstructorParameters<typeof StdioClientTransport>[0] = {
    command: config.command,
    args: [...(config.args ?? [])],
    stderr: config.stderr ?? 'inherit',
  };
  if (config.env !== undefined) parameters.env = { ...config.env };
  if (config.cwd !== undefined) parameters.cwd = config.cwd;
  return new StdioClientTransport(parameters);
}
