import type { CodeSandbox, CodeSession, RunResult } from '../contracts/code-sandbox.js';

/**
 * A `CodeSandbox` for end-to-end agent tests in Node and Chromium that really evaluates a tiny Python subset:
 * integer arithmetic (`+ - * // % **`, parentheses), `name = expr`, `print(expr)` and a last bare expression,
 * one statement per line, with variables persisting in the session. Anything else is a Python-style error
 * (`NameError`, `ZeroDivisionError`, `SyntaxError`) in the result, as the real sandbox reports it.
 * `log` counts sessions and disposals and records every run's code. The one fake sandbox of the repo's tests.
 */
export function createArithmeticSandbox(options: ArithmeticSandboxOptions = {}) {
  const log = { sessions: 0, disposed: 0, runs: [] as string[] };
  const sandbox: CodeSandbox = {
    language: 'python',
    async createSession() {
      log.sessions++;
      const variables = new Map<string, number>();
      const session: CodeSession = {
        id: `arithmetic-${log.sessions}`,
        async run(code) {
          log.runs.push(code);
          const failure = options.failRun?.(code);
          if (failure !== undefined) throw failure;
          return { ...runLines(code, variables), durationMs: options.durationMs ?? 0 };
        },
        writeFile: async () => {},
        readFile: async () => new Uint8Array(),
        listFiles: async () => [],
        reset: async () => variables.clear(),
        dispose: async () => {
          log.disposed++;
        },
        [Symbol.asyncDispose]() {
          return this.dispose();
        },
      };
      return session;
    },
    dispose: async () => {},
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
  return { sandbox, log };
}

/** Knobs for tests that check what wraps a sandbox (metrics, tracing). */
export interface ArithmeticSandboxOptions {
  /** The `durationMs` every run reports (default 0). */
  durationMs?: number;
  /** Returns an error for `run` to throw instead of evaluating `code` (a timeout, a crashed worker); else undefined. */
  failRun?: (code: string) => Error | undefined;
}

class PythonError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

function runLines(code: string, variables: Map<string, number>): RunResult {
  let stdout = '';
  let last: number | undefined;
  const lines = code.split('\n').filter((line) => line.trim() !== '');
  try {
    for (const [index, line] of lines.entries()) {
      last = undefined;
      const assignment = /^\s*([A-Za-z_]\w*)\s*=(?!=)(.*)$/.exec(line);
      const print = /^\s*print\((.*)\)\s*$/.exec(line);
      if (assignment) variables.set(assignment[1] ?? '', evaluate(assignment[2] ?? '', variables));
      else if (print) stdout += `${evaluate(print[1] ?? '', variables)}\n`;
      else if (index === lines.length - 1) last = evaluate(line, variables);
      else evaluate(line, variables);
    }
  } catch (error) {
    if (!(error instanceof PythonError)) throw error;
    const traceback = `Traceback (most recent call last):\n  File "<exec>", line 1\n${error.type}: ${error.message}`;
    return {
      ok: false,
      stdout,
      stderr: '',
      error: { type: error.type, message: error.message, traceback },
      durationMs: 0,
      truncated: false,
    };
  }
  return {
    ok: true,
    stdout,
    stderr: '',
    ...(last === undefined ? {} : { result: { repr: String(last), mime: { 'text/plain': String(last) } } }),
    durationMs: 0,
    truncated: false,
  };
}

/** Recursive descent over integers: expr := term (('+'|'-') term)*, term := power (('*'|'//'|'%') power)*. */
function evaluate(source: string, variables: Map<string, number>): number {
  const tokens = source.match(/\d+|[A-Za-z_]\w*|\*\*|\/\/|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = () => tokens[position++];
  const syntaxError = (): never => {
    throw new PythonError('SyntaxError', 'invalid syntax');
  };
  const atom = (): number => {
    const token = take() ?? syntaxError();
    if (token === '(') {
      const value = expression();
      if (take() !== ')') syntaxError();
      return value;
    }
    if (token === '-') return -atom();
    if (/^\d+$/.test(token)) return Number(token);
    if (/^[A-Za-z_]\w*$/.test(token)) {
      const value = variables.get(token);
      if (value === undefined) throw new PythonError('NameError', `name '${token}' is not defined`);
      return value;
    }
    return syntaxError();
  };
  const power = (): number => {
    const base = atom();
    if (peek() !== '**') return base;
    take();
    return base ** power();
  };
  const term = (): number => {
    let value = power();
    for (let operator = peek(); operator === '*' || operator === '//' || operator === '%'; operator = peek()) {
      take();
      const right = power();
      if (operator !== '*' && right === 0) {
        throw new PythonError('ZeroDivisionError', 'integer division or modulo by zero');
      }
      // Python floors both `//` and `%` (so -7 // 2 is -4 and -7 % 2 is 1).
      const quotient = Math.floor(value / right);
      value = operator === '*' ? value * right : operator === '//' ? quotient : value - right * quotient;
    }
    return value;
  };
  function expression(): number {
    let value = term();
    for (let operator = peek(); operator === '+' || operator === '-'; operator = peek()) {
      take();
      value = operator === '+' ? value + term() : value - term();
    }
    return value;
  }
  const value = expression();
  if (position !== tokens.length) syntaxError();
  return value;
}
