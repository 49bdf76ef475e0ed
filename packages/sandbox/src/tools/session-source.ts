import { AgenticGenError, type CodeSandbox, type CodeSession } from '@agenticgen/core';

/** Where a tool gets its sandbox session: a sandbox (one session opened lazily, per tool) or a session. */
export type SessionSource = { sandbox: CodeSandbox; session?: never } | { session: CodeSession; sandbox?: never };

/** Opens the tool's session once; a failed open is retried on the next call. */
export function sessionOpener(source: SessionSource, scope: string) {
  let opening: Promise<CodeSession> | undefined;
  if (source.session === undefined && source.sandbox === undefined) {
    throw new AgenticGenError('invalid-config', `[${scope}] pass either a sandbox or a session`);
  }
  return {
    open(signal?: AbortSignal): Promise<CodeSession> {
      if (source.session !== undefined) return Promise.resolve(source.session);
      if (opening === undefined) {
        opening = source.sandbox.createSession(signal === undefined ? {} : { signal });
        opening.catch(() => {
          opening = undefined;
        });
      }
      return opening;
    },
    /** Disposes the session the tool opened itself (never one it was given). */
    async dispose(): Promise<void> {
      const opened = opening;
      opening = undefined;
      if (opened !== undefined) await (await opened.catch(() => undefined))?.dispose();
    },
  };
}

/** Cuts text for a model to read, saying how much was left out. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… [${text.length - limit} more characters cut]`;
}

/** A Python string literal holding `text` exactly (JSON string syntax is valid Python). */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}
