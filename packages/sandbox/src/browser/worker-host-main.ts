/**
 * The script of a worker's own document: a child of the sandbox frame (inlined into its `srcdoc`, allowed by a
 * CSP hash), self-contained. An opaque-origin frame can start a worker only from a `blob:` URL, and such a
 * worker takes its CSP from the document that starts it, when its script loads. So this document starts the
 * worker, then at once adds the stricter worker policy to itself: the start was allowed, the worker runs under
 * a policy that starts nothing (the worker checks that, see frame-main.ts, and refuses to run otherwise).
 *
 * It then relays messages between its worker and the frame's port, and keeps the worker's interrupt buffer: a
 * SharedArrayBuffer stays inside this document's agent cluster, so the frame asks for interrupts by message.
 */
export function workerHostMain(): void {
  addEventListener('message', function start(event: MessageEvent) {
    const data = event.data as { agenticgenWorkerScript?: unknown; policy?: unknown } | null;
    if (
      event.source !== parent ||
      !(data?.agenticgenWorkerScript instanceof Blob) ||
      typeof data.policy !== 'string' ||
      event.ports.length !== 1
    )
      return;
    removeEventListener('message', start);
    const port = event.ports[0] as MessagePort;
    const worker = new Worker(URL.createObjectURL(data.agenticgenWorkerScript), { name: 'agenticgen-sandbox' });
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = data.policy;
    document.head.append(meta);
    let interrupt: Int32Array | undefined;
    const transferOf = (message: { payload?: unknown } | null) =>
      message?.payload instanceof Uint8Array ? [message.payload.buffer] : [];
    worker.onmessage = (message: MessageEvent) => {
      const { interrupt: buffer, ...rest } = (message.data ?? {}) as { interrupt?: unknown; payload?: unknown };
      if (interrupt === undefined && buffer instanceof SharedArrayBuffer) interrupt = new Int32Array(buffer);
      port.postMessage(rest, transferOf(rest));
    };
    worker.onerror = (error: ErrorEvent) => {
      error.preventDefault();
      port.postMessage({
        workerError: { message: String(error.message), filename: String(error.filename), lineno: error.lineno },
      });
    };
    port.onmessage = (message: MessageEvent) => {
      const relayed = message.data as { hostInterrupt?: unknown; payload?: unknown } | null;
      if (relayed?.hostInterrupt === true) {
        if (interrupt !== undefined) Atomics.store(interrupt, 0, 2);
        return;
      }
      worker.postMessage(relayed, transferOf(relayed));
    };
  });
  parent.postMessage({ agenticgenWorkerHost: 'loaded' }, '*');
}
