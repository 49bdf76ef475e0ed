// Renders docs/errors.md from each package's error-code table (`src/error-codes.ts`, core's in
// `src/errors/error-codes.ts`) and checks that every code the package's source throws is declared there.
// `node scripts/errors-doc.mjs` writes the page; `--check` fails (exit 1) when a thrown code is undeclared or the
// committed page is not what the tables render (CI runs the check).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const pagePath = join(root, 'docs', 'errors.md');
const check = process.argv.includes('--check');
const codeShape = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Every package with its table (loaded with Node's type stripping: the table files hold data only). */
async function loadPackages() {
  const packages = [];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    const source = join(root, 'packages', name, 'src');
    const tablePath = [join(source, 'error-codes.ts'), join(source, 'errors', 'error-codes.ts')].find(existsSync);
    if (tablePath === undefined) {
      packages.push({ name, source, table: undefined });
      continue;
    }
    const module = await import(pathToFileURL(tablePath).href);
    const exported = Object.entries(module).filter(([key]) => key.endsWith('ErrorCodes'));
    if (exported.length !== 1) throw new Error(`${relative(root, tablePath)} must export one *ErrorCodes table`);
    packages.push({ name, source, table: exported[0][1], tablePath });
  }
  return packages;
}

function* sourceFiles(directory) {
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    // test-support folders hold test doubles, not code a user runs.
    if (statSync(path).isDirectory()) {
      if (entry !== 'test-support') yield* sourceFiles(path);
    } else if (path.endsWith('.ts') && !path.endsWith('.d.ts') && !/\.test\.ts$/.test(path)) yield path;
  }
}

/** String literals an expression can evaluate to (`'a'`, `c ? 'a' : 'b'`, `x ?? 'a'`). */
function literalsOf(node) {
  if (node === undefined) return [];
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...literalsOf(node.whenTrue), ...literalsOf(node.whenFalse)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
    return literalsOf(node.right);
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return literalsOf(node.expression);
  return [];
}

/** Whether an options argument may set `retryable` (an object literal with that key, or anything not literal). */
function setsRetryable(options) {
  if (options === undefined) return false;
  if (!ts.isObjectLiteralExpression(options)) return true;
  return options.properties.some(
    (property) => ts.isSpreadAssignment(property) || property.name?.getText() === 'retryable',
  );
}

const calleeName = (node) =>
  ts.isIdentifier(node.expression)
    ? node.expression.text
    : ts.isPropertyAccessExpression(node.expression)
      ? node.expression.name.text
      : '';

/**
 * The literal codes a file throws: the first argument of `new AgenticGenError(…)` and of the package's helper
 * (`vectorError(…)`), the second of `toAgenticGenError(…)`, and the `code` argument of the file's own
 * functions that take one (`make(code, …)`, `refused(call, code, …)`). Codes passed through variables are
 * checked by the compiler instead: every helper's `code` parameter is typed with the package's union.
 */
function thrownCodes(file, helper) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const codeParameter = new Map();
  const collectDeclarations = (node) => {
    const declaration =
      ts.isFunctionDeclaration(node) && node.name
        ? { name: node.name.text, parameters: node.parameters }
        : ts.isVariableDeclaration(node) &&
            ts.isIdentifier(node.name) &&
            node.initializer &&
            ts.isArrowFunction(node.initializer)
          ? { name: node.name.text, parameters: node.initializer.parameters }
          : undefined;
    const index = declaration?.parameters.findIndex((parameter) => parameter.name.getText(source) === 'code') ?? -1;
    if (index >= 0) codeParameter.set(declaration.name, index);
    ts.forEachChild(node, collectDeclarations);
  };
  collectDeclarations(source);
  const found = [];
  const visit = (node) => {
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.arguments?.length) {
      const name = calleeName(node);
      let argument;
      if (name === 'AgenticGenError' && ts.isNewExpression(node)) argument = node.arguments[0];
      else if (name === 'toAgenticGenError') argument = node.arguments[1];
      else if (name === helper) argument = node.arguments[0];
      else if (codeParameter.has(name)) argument = node.arguments[codeParameter.get(name)];
      // A direct `new AgenticGenError(code, message)` gets core's default retryability, not the package's.
      const options = name === 'AgenticGenError' ? node.arguments[2] : undefined;
      const direct = name === 'AgenticGenError' && !setsRetryable(options);
      for (const code of literalsOf(argument)) {
        if (!codeShape.test(code)) continue;
        const line = source.getLineAndCharacterOfPosition(argument.getStart(source)).line + 1;
        found.push({ code, direct, where: `${relative(root, file)}:${line}` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function render(packages) {
  const lines = [
    '# Error codes',
    '',
    "<!-- Generated by `node scripts/errors-doc.mjs` from each package's `src/error-codes.ts`; do not edit by hand. -->",
    '',
    'Every error AgenticGen throws is an `AgenticGenError` with a stable `code`: branch on the code, never on the',
    "message. `retryable` says whether repeating the operation may succeed; it is the default of the error's",
    '`retryable` flag (a call site may override it, e.g. `rate-limit` for a spent quota is not retryable).',
    'The codes are typed: `ErrorCode` is the union of every declared code of the packages in your program, so',
    "`AgenticGenError.hasCode(error, '…')` with an undeclared code does not compile. An app adds its own codes the",
    "same way a package does (a table plus `declare module '@agenticgen/core' { interface ErrorCodeRegistry … }`).",
    '',
  ];
  for (const { name, table } of packages) {
    if (table === undefined) continue;
    lines.push(`## @agenticgen/${name}`, '', '| Code | Retryable | Meaning |', '| --- | --- | --- |');
    for (const [code, info] of Object.entries(table)) {
      lines.push(`| \`${code}\` | ${info.retryable ? 'yes' : 'no'} | ${info.meaning.replaceAll('|', '\\|')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const packages = await loadPackages();
const core = packages.find((entry) => entry.name === 'core')?.table ?? {};
const problems = [];
for (const { name, source, table, tablePath } of packages) {
  if (table === undefined) {
    problems.push(`packages/${name}: no src/error-codes.ts table`);
    continue;
  }
  for (const [code, info] of Object.entries(table)) {
    if (!codeShape.test(code)) problems.push(`${relative(root, tablePath)}: "${code}" is not a kebab-case code`);
    if (typeof info?.retryable !== 'boolean' || typeof info?.meaning !== 'string' || info.meaning.length === 0) {
      problems.push(`${relative(root, tablePath)}: "${code}" needs a boolean retryable and a meaning`);
    }
    // `new AgenticGenError(code)` takes core's default, the package helper its own: they must agree.
    if (core[code] !== undefined && core[code].retryable !== info.retryable) {
      problems.push(
        `${relative(root, tablePath)}: "${code}" is retryable=${info.retryable} but core says ${core[code].retryable}`,
      );
    }
  }
  const helper = `${name}Error`;
  for (const file of sourceFiles(source)) {
    for (const { code, direct, where } of thrownCodes(file, helper)) {
      if (!Object.hasOwn(table, code)) {
        problems.push(`${where}: throws "${code}", not declared in ${relative(root, tablePath)}`);
      } else if (direct && table[code].retryable && core[code]?.retryable !== true) {
        problems.push(
          `${where}: "${code}" is declared retryable but thrown as not retryable; use ${helper}() or pass retryable`,
        );
      }
    }
  }
}

const page = render(packages);
if (check) {
  const current = existsSync(pagePath) ? readFileSync(pagePath, 'utf8') : '';
  if (current !== page) problems.push('docs/errors.md is out of date: run `node scripts/errors-doc.mjs`');
} else {
  writeFileSync(pagePath, page);
}
if (problems.length > 0) {
  console.error(`error codes: ${problems.length} problem(s)\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `error codes: ${packages.length} packages, ${packages.reduce((sum, entry) => sum + Object.keys(entry.table).length, 0)} codes declared${check ? ', docs/errors.md is current' : ', docs/errors.md written'}`,
);
