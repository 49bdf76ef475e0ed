import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { createServices } from './services/create-services.ts';

/**
 * `node src/main.ts [--port 3000] [--host 127.0.0.1] [--data-dir .data]` — see docs/deployment.md. `createApp`
 * composes the Hono app (`createAgenticGenApp`) with the WebSocket gateway on one Node server.
 */
const log = createLogger({ json: process.env.LOG_FORMAT === 'json' });
// Handlers answer their own errors (createAgenticGenApp's onError); a promise rejected outside any request
// (a background task, a library's timer) is logged rather than taking every other user's connection down.
process.on('unhandledRejection', (reason) => {
  log('error', 'unhandled rejection (kept serving)', {
    error: (reason instanceof Error ? reason.message : String(reason)).slice(0, 500),
  });
});
const config = loadConfig(process.argv.slice(2), process.env, process.cwd());
log('info', 'starting AgenticGen starter server', { dataDir: config.dataDir });
const services = await createServices(config, log, process.env);
const app = createApp({ config, services, log });
const url = await app.listen();
log('info', `listening on ${url}`, { model: services.model.label });
if (config.generatedToken) {
  process.stderr.write(
    `\n  Open ${url}/#token=${config.tokens[0]}\n  (API: Authorization: Bearer ${config.tokens[0]})\n\n`,
  );
} else {
  process.stderr.write(`\n  Open ${url}/ and sign in with one of AGENTICGEN_TOKENS\n\n`);
}

let firstSignalAt = 0;
const stop = (signal: string) => {
  // Ctrl+C reaches this process twice under `npm start` (from the terminal and forwarded by scripts/start.mjs):
  // only a second signal a moment later means "stop now".
  if (firstSignalAt !== 0) {
    if (Date.now() - firstSignalAt < 500) return;
    log('warn', `second ${signal}: exiting without draining`);
    process.exit(1);
  }
  firstSignalAt = Date.now();
  void app.shutdown(signal).then(
    () => process.exit(0),
    (error: unknown) => {
      log('error', 'shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
