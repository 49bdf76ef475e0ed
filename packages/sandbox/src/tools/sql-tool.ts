import { AgenticGenError, type AsyncResource, type CodeSession, defineTool, type Tool, Type } from '@agenticgen/core';
import { clip, pythonString, type SessionSource, sessionOpener } from './session-source.js';

/** Data the SQL tool queries: a SQLite file, and/or CSV texts loaded as tables. */
export interface SqlData {
  /** A SQLite database file (bytes). */
  database?: Uint8Array;
  /** CSV tables: name → CSV text with a header row; column types are inferred (INTEGER, REAL, TEXT). */
  csv?: Record<string, string>;
}

export type SqlToolOptions = SessionSource & {
  /** The data to query; loaded into the sandbox at the first call (and again if the session restarts). */
  data: SqlData;
  /** Allow statements that change the database (default false: only reads; enforced by SQLite's authorizer). */
  allowWrites?: boolean;
  /** Rows returned at most (default 200); `truncated` says when there were more. */
  maxRows?: number;
  /** Time limit of one query in ms (default 10 000), enforced inside SQLite. */
  timeoutMs?: number;
  /** Tool name (default `query_sql`). */
  name?: string;
  /** What the model reads about the tool (default lists the tables). */
  description?: string;
};

const parameters = Type.Object({ query: Type.String({ description: 'One SQLite SQL statement.' }) });

export interface SqlToolOutput {
  ok: boolean;
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
  error?: string;
}

export type SqlTool = Tool<typeof parameters, SqlToolOutput> & {
  /** The tables and their columns, as `CREATE TABLE` text (loads the data if needed). */
  describe(): Promise<string>;
  /** Disposes the session the tool opened (not a session it was given). Idempotent; also `await using`. */
  dispose(): Promise<void>;
} & AsyncResource;

const databasePath = '/home/pyodide/.agenticgen/sql-tool.db';
const tableName = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A tool that runs SQL against SQLite inside the sandbox: read-only by default, with row and time limits. */
export function createSqlTool(options: SqlToolOptions): SqlTool {
  const opener = sessionOpener(options, 'sandbox');
  const maxRows = options.maxRows ?? 200;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(maxRows) || maxRows < 1 || !(timeoutMs > 0)) {
    throw new AgenticGenError(
      'invalid-config',
      '[sandbox] createSqlTool: maxRows must be an integer ≥ 1 and timeoutMs above 0',
    );
  }
  for (const name of Object.keys(options.data.csv ?? {})) {
    if (!tableName.test(name)) {
      throw new AgenticGenError(
        'invalid-config',
        `[sandbox] createSqlTool: table name ${JSON.stringify(name)} must be a SQL identifier`,
      );
    }
  }
  if (options.data.database === undefined && Object.keys(options.data.csv ?? {}).length === 0) {
    throw new AgenticGenError('invalid-config', '[sandbox] createSqlTool: pass data.database and/or data.csv');
  }

  async function load(session: CodeSession): Promise<void> {
    const present = await session.run(`import os\nos.path.exists(${pythonString(databasePath)})`);
    if (present.result?.repr === 'True') return;
    if (options.data.database !== undefined) await session.writeFile(databasePath, options.data.database);
    else await session.writeFile(databasePath, new Uint8Array(0));
    for (const [name, text] of Object.entries(options.data.csv ?? {})) {
      const csvPath = `/home/pyodide/.agenticgen/${name}.csv`;
      await session.writeFile(csvPath, text);
      const loaded = await session.run(loadCsvCode(name, csvPath), { timeoutMs: 60_000 });
      if (!loaded.ok) {
        throw new AgenticGenError(
          'invalid-argument',
          `[sandbox] createSqlTool: loading CSV table "${name}" failed: ${loaded.error?.message ?? ''}`,
        );
      }
    }
  }

  async function query(sql: string, signal?: AbortSignal): Promise<SqlToolOutput> {
    const session = await opener.open(signal);
    await load(session);
    const run = await session.run(queryCode(sql, options.allowWrites === true, maxRows, timeoutMs), {
      timeoutMs: timeoutMs + 5_000,
      ...(signal === undefined ? {} : { signal }),
    });
    if (!run.ok) {
      return {
        ok: false,
        columns: [],
        rows: [],
        truncated: false,
        error: clip(run.error?.message ?? 'query failed', 2000),
      };
    }
    try {
      return JSON.parse(run.stdout) as SqlToolOutput;
    } catch {
      return {
        ok: false,
        columns: [],
        rows: [],
        truncated: true,
        error: 'the result was too large; select fewer columns',
      };
    }
  }

  const tables = Object.keys(options.data.csv ?? {});
  const tool = defineTool({
    name: options.name ?? 'query_sql',
    description:
      options.description ??
      `Runs one SQLite statement${options.allowWrites ? '' : ' (read-only)'} and returns columns and up to ${maxRows} rows.` +
        (tables.length > 0 ? ` Tables: ${tables.join(', ')}.` : '') +
        ' Query sqlite_master to see the schema.',
    parameters,
    timeoutMs: timeoutMs + 30_000,
    execute: ({ query: sql }, context) => query(sql, context.signal),
  });
  return Object.assign(tool, {
    async describe(): Promise<string> {
      const result = await query("SELECT sql FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name");
      return result.rows.map((row) => String(row[0])).join(';\n');
    },
    dispose: () => opener.dispose(),
    [Symbol.asyncDispose]: () => opener.dispose(),
  });
}

function loadCsvCode(name: string, csvPath: string): string {
  return `
import csv, sqlite3
def _infer(values):
    kinds = {"INTEGER"}
    for value in values:
        if value == "":
            continue
        try:
            int(value)
            continue
        except ValueError:
            pass
        try:
            float(value)
            kinds.discard("INTEGER")
            kinds.add("REAL")
        except ValueError:
            return "TEXT"
    return "REAL" if "REAL" in kinds else "INTEGER"
with open(${pythonString(csvPath)}, newline="") as handle:
    _rows = list(csv.reader(handle))
_header, _body = _rows[0], _rows[1:]
_types = [_infer([row[i] for row in _body if i < len(row)]) for i in range(len(_header))]
_convert = {"INTEGER": int, "REAL": float, "TEXT": str}
_db = sqlite3.connect(${pythonString(databasePath)})
_columns = ", ".join('"' + c.replace('"', '""') + '" ' + t for c, t in zip(_header, _types))
_db.execute('CREATE TABLE "${name}" (' + _columns + ')')
_db.executemany('INSERT INTO "${name}" VALUES (' + ", ".join("?" * len(_header)) + ')',
    [[None if v == "" else _convert[t](v) for v, t in zip(row, _types)] for row in _body])
_db.commit()
_db.close()
del _rows, _header, _body, _types, _db, _columns
`;
}

function queryCode(sql: string, allowWrites: boolean, maxRows: number, timeoutMs: number): string {
  return `
def _agenticgen_sql():
    import json, sqlite3, time
    uri = "file:${databasePath}" + ("" if ${allowWrites ? 'True' : 'False'} else "?mode=ro")
    db = sqlite3.connect(uri, uri=True)
    if not ${allowWrites ? 'True' : 'False'}:
        allowed = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
        db.set_authorizer(lambda action, *rest: sqlite3.SQLITE_OK if action in allowed else sqlite3.SQLITE_DENY)
    deadline = time.monotonic() + ${timeoutMs / 1000}
    db.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10000)
    try:
        cursor = db.execute(${pythonString(sql)})
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(${maxRows + 1})
        if ${allowWrites ? 'True' : 'False'}:
            db.commit()
        out = {"ok": True, "columns": columns, "rows": [list(r[:]) for r in rows[:${maxRows}]], "truncated": len(rows) > ${maxRows}}
    except sqlite3.Error as error:
        message = "query took longer than ${timeoutMs} ms" if "interrupted" in str(error) else str(error)
        out = {"ok": False, "columns": [], "rows": [], "truncated": False, "error": message}
    finally:
        db.close()
    return json.dumps(out, default=lambda v: v.hex() if isinstance(v, bytes) else str(v))
print(_agenticgen_sql(), end="")
`;
}

/** @deprecated Use `createSqlTool` (factories are named `create*`); this alias is removed in the next minor release. */
export const sqlTool = createSqlTool;
