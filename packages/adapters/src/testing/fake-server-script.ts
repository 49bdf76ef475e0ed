import type { ScriptedTurn } from './fake-servers/fake-http.js';

export type { ScriptedTurn };

/**
 * Scripts the fake server's `scripted` scenario for `key` (Node and Chromium): the n-th request whose model id is
 * `<model>~scripted~<key>` gets `turns[n - 1]`; a request past the end gets a 400 `script_exhausted` error.
 */
export async function scriptFakeServer(serverUrl: string, key: string, turns: readonly ScriptedTurn[]): Promise<void> {
  const response = await fetch(`${serverUrl}/__control/script?key=${encodeURIComponent(key)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ turns }),
  });
  if (response.status !== 204) throw new Error(`[test] scripting the fake server failed with ${response.status}`);
}
