/** A structured log line: level, message, fields. */
export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * Logs to stderr: one JSON object per line with `LOG_FORMAT=json` (for log shippers), otherwise a readable
 * `time level message key=value` line.
 */
export function createLogger(options: { json?: boolean; silent?: boolean } = {}): Logger {
  if (options.silent === true) return () => {};
  return (level, message, fields = {}) => {
    if (options.json === true) {
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
      return;
    }
    const extras = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${extras ? ` ${extras}` : ''}\n`);
  };
}
