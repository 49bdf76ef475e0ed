/**
 * Starts the real sandbox frame document (its CSP, its worker start-up) with a worker of the test's own code, as
 * a compromised worker would run: tests of the frame's walls use it instead of a Pyodide session.
 */
import { frameDocument, workerHostScript } from '../browser/browser-sandbox.js';

export interface SandboxFrame {
  frame: HTMLIFrameElement;
  /** The page's end of the frame's channel. */
  port: MessagePort;
}

export async function startSandboxFrame(workerSource: string): Promise<SandboxFrame> {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('allow', 'cross-origin-isolated');
  frame.srcdoc = await frameDocument();
  const loaded = new Promise<void>((resolve) => {
    addEventListener('message', function onLoaded(event: MessageEvent) {
      if (event.source !== frame.contentWindow) return;
      removeEventListener('message', onLoaded);
      resolve();
    });
  });
  document.body.append(frame);
  await loaded;
  const channel = new MessageChannel();
  frame.contentWindow?.postMessage({ agenticgenSandboxFrame: true }, '*', [channel.port2]);
  const configured = new Promise<void>((resolve, reject) => {
    channel.port1.onmessage = (event: MessageEvent) => {
      const data = event.data as { t?: string; message?: string };
      if (data.t === 'configured') resolve();
      if (data.t === 'configure-failed') reject(new Error(String(data.message)));
    };
  });
  channel.port1.postMessage({
    t: 'configure',
    workerSource,
    workerHostScript: workerHostScript(),
    assets: {},
    limits: { outputLimit: 1000, resultLimit: 1000, freshInterpreters: 1 },
    packages: [],
  });
  await configured;
  return { frame, port: channel.port1 };
}

/** Spawns worker `w` of the frame and resolves with the first message it relays (parsed `json`) or its exit. */
export function firstRelayed(port: MessagePort, w = 1): Promise<{ exit?: string; message?: Record<string, unknown> }> {
  return new Promise((resolve) => {
    port.onmessage = (event: MessageEvent) => {
      const data = event.data as { t?: string; json?: string; reason?: string };
      if (data.t === 'message') resolve({ message: JSON.parse(String(data.json)) });
      if (data.t === 'exit') resolve({ exit: String(data.reason) });
    };
    port.postMessage({ t: 'spawn', w });
  });
}
