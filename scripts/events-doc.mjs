// Renders docs/events.md from the event types themselves (TypeScript compiler API), so the page cannot drift
// from the code: every event, its fields, their types and their JSDoc. `node scripts/events-doc.mjs` writes the
// page; `--check` (run by `npm run check:docs` in CI) fails when the committed page differs from the types.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const pagePath = join(root, 'docs', 'events.md');

/**
 * The event types to document. `union`: a discriminated union on `type` (one section per member); `map`: an
 * interface from event name to payload type (one section per property).
 */
const sections = [
  {
    title: 'Agent run events',
    file: 'packages/core/src/agents/types.ts',
    type: 'AgentEvent',
    kind: 'union',
    intro:
      'What `agent.stream()` yields and `run(input, { onEvent })` receives, in order, discriminated by `type` ' +
      '(`@agenticgen/core`).',
  },
  {
    title: 'Chat stream parts',
    file: 'packages/core/src/contracts/chat-model.ts',
    type: 'ChatStreamPart',
    kind: 'union',
    intro:
      'What `ChatModel.stream()` yields, discriminated by `type`; `collectStream` and `ChatStreamFolder` fold ' +
      'them into the `ChatResponse` that `generate` returns (`@agenticgen/core`).',
  },
  {
    title: 'Runtime events',
    file: 'packages/core/src/events/runtime-events.ts',
    type: 'RuntimeEvents',
    kind: 'map',
    intro:
      "Emitted on `runtime.events` (and on an agent's `events` bus) by name; each carries one payload object. " +
      'Payloads only grow: new fields are optional (`@agenticgen/core`).',
  },
  {
    title: 'Knowledge base events',
    file: 'packages/core/src/knowledge/knowledge-types.ts',
    type: 'KnowledgeEvents',
    kind: 'map',
    intro: "Emitted on a knowledge base's `events` while documents are added and deleted (`@agenticgen/core`).",
  },
  {
    title: 'Vector index events',
    file: 'packages/vector/src/indexes/index-events.ts',
    type: 'IndexEventMap',
    kind: 'map',
    intro: 'Emitted by the in-process flat and HNSW indexes (`@agenticgen/vector`).',
  },
  {
    title: 'Sandbox events',
    file: 'packages/sandbox/src/host/sandbox-events.ts',
    type: 'SandboxEvents',
    kind: 'map',
    intro: 'Emitted by a Python sandbox (`@agenticgen/sandbox`).',
  },
  {
    title: 'Scheduler task events',
    file: 'packages/core/src/orchestration/scheduler-types.ts',
    type: 'SchedulerEvents',
    kind: 'map',
    intro:
      "Emitted on a scheduler's `events` through each task's life, only while someone listens " +
      '(`@agenticgen/core`).',
  },
  {
    title: 'UI message stream chunks',
    file: 'packages/core/src/ui/ui-message-chunk.ts',
    type: 'UIMessageChunk',
    kind: 'union',
    intro:
      'What `toUIMessageStream` writes: the AI SDK UI message stream protocol (v1), discriminated by `type` ' +
      '(`@agenticgen/core`).',
  },
  {
    title: 'Cache events',
    file: 'packages/cache/src/cache/events.ts',
    type: 'CacheEvents',
    kind: 'map',
    intro: "Emitted on a tiered cache's `events` (`@agenticgen/cache`).",
  },
  {
    title: 'Model manager events',
    file: 'packages/adapters/src/manager/model-manager-types.ts',
    type: 'ModelManagerEvent',
    kind: 'union',
    intro:
      "Emitted on a model manager's `events` by the name in `type` (`ModelManagerEvents` maps each name to its " +
      'event); each payload keeps its `type` (`@agenticgen/adapters`).',
  },
  {
    title: 'Retry events',
    file: 'packages/adapters/src/shared/retry.ts',
    type: 'RetryEvents',
    kind: 'map',
    intro: "Emitted on the bus given as a provider adapter's `retry.events` (`@agenticgen/adapters`).",
  },
  {
    title: 'MCP client events',
    file: 'packages/mcp/src/client/mcp-client.ts',
    type: 'McpClientEvents',
    kind: 'map',
    intro: "Emitted on an MCP client's `events` (`@agenticgen/mcp`).",
  },
];

const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
const files = sections.map((section) => join(root, section.file));
const program = ts.createProgram(files, { ...config.options, noEmit: true });
const checker = program.getTypeChecker();
const typeFlags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

function declarationOf(section) {
  const source = program.getSourceFile(join(root, section.file));
  if (source === undefined) throw new Error(`[events-doc] cannot read ${section.file}`);
  let found;
  ts.forEachChild(source, (node) => {
    if ((ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) && node.name.text === section.type) {
      found = node;
    }
  });
  if (found === undefined) throw new Error(`[events-doc] ${section.type} is not declared in ${section.file}`);
  return found;
}

/** Fields without JSDoc, reported together: the page documents every field or is not written. */
const undocumented = [];

const docOf = (symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();

/** One row per field: name (`?` when optional), type, JSDoc. */
function fieldsOf(type, location, skip, owner) {
  return checker
    .getPropertiesOfType(type)
    .filter((property) => property.name !== skip)
    .map((property) => {
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const type = checker.getTypeOfSymbolAtLocation(property, location);
      let text = literalUnion(type, property) ?? checker.typeToString(type, location, typeFlags);
      if (optional) text = text.replace(/ \| undefined$/, '');
      const doc = docOf(property);
      if (doc === '') undocumented.push(`${owner}.${property.name}`);
      return { name: `${property.name}${optional ? '?' : ''}`, type: text, doc };
    });
}

/**
 * A union of literals (`OutcomeStatus`, `kind`) spelled out as declared, so the page shows the values in their
 * source order rather than an alias name (or the checker's internal order).
 */
function literalUnion(type, property) {
  if (!type.isUnion()) return undefined;
  const members = type.types.filter((member) => (member.flags & ts.TypeFlags.Undefined) === 0);
  if (!members.every((member) => member.isStringLiteral() || member.isNumberLiteral())) return undefined;
  const node = property.valueDeclaration?.type;
  const declared = node === undefined ? type : checker.getTypeFromTypeNode(node);
  const alias = declared.aliasSymbol?.declarations?.[0];
  const source = alias !== undefined && ts.isTypeAliasDeclaration(alias) ? alias.type : node;
  if (source !== undefined && ts.isUnionTypeNode(source)) {
    // Member by member: comments between the members stay out of the page.
    return source.types.map((member) => member.getText().replace(/\s+/g, ' ')).join(' | ');
  }
  return members
    .map((member) => checker.typeToString(member))
    .sort()
    .join(' | ');
}

const cell = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text) => `\`${cell(text)}\``;

function table(fields) {
  if (fields.length === 0) return ['No fields besides `type`.'];
  return [
    '| Field | Type | Description |',
    '| ----- | ---- | ----------- |',
    ...fields.map((field) => `| ${code(field.name)} | ${code(field.type)} | ${cell(field.doc)} |`),
  ];
}

function renderUnion(section, declaration) {
  const union = checker.getTypeAtLocation(declaration.name);
  const members = union.isUnion() ? union.types : [union];
  const lines = [];
  for (const member of members) {
    const discriminant = member.getProperty('type');
    const literal = discriminant && checker.getTypeOfSymbolAtLocation(discriminant, declaration);
    // A template literal (`data-${string}`) names a family of events; it is shown as declared.
    const isTemplate = literal !== undefined && (literal.flags & ts.TypeFlags.TemplateLiteral) !== 0;
    if (literal === undefined || !(literal.isStringLiteral() || isTemplate)) {
      throw new Error(`[events-doc] a member of ${section.type} has no string literal \`type\``);
    }
    const name = isTemplate ? checker.typeToString(literal).replaceAll('`', '') : literal.value;
    lines.push(`### \`${name}\``, '');
    const summary = docOf(discriminant);
    if (summary === '') undocumented.push(`${section.type} '${name}' (JSDoc on its \`type\` field)`);
    else lines.push(summary, '');
    lines.push(...table(fieldsOf(member, declaration, 'type', `${section.type} '${name}'`)), '');
  }
  return lines;
}

function renderMap(section, declaration) {
  const map = checker.getTypeAtLocation(declaration.name);
  const lines = [];
  for (const event of checker.getPropertiesOfType(map)) {
    const payload = checker.getTypeOfSymbolAtLocation(event, declaration);
    lines.push(`### \`${event.name}\``, '');
    const summary = docOf(event);
    if (summary === '') undocumented.push(`${section.type}['${event.name}']`);
    else lines.push(summary, '');
    lines.push(`Payload: \`${checker.typeToString(payload, declaration, typeFlags)}\`.`, '');
    lines.push(...table(fieldsOf(payload, declaration, undefined, `${section.type}['${event.name}']`)), '');
  }
  return lines;
}

function render() {
  const lines = [
    '<!-- Generated by scripts/events-doc.mjs from the types; edit the JSDoc there, then run `npm run docs:events`. -->',
    '',
    '# Events',
    '',
    'The events AgenticGen emits, with their fields, generated from the TypeScript types (CI fails when this',
    'page and the types disagree). A field marked `?` may be absent.',
    '',
  ];
  for (const section of sections) {
    const declaration = declarationOf(section);
    lines.push(`## ${section.title}`, '', `${section.intro} Type: \`${section.type}\`.`, '');
    lines.push(...(section.kind === 'union' ? renderUnion(section, declaration) : renderMap(section, declaration)));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const generated = render();
if (undocumented.length > 0) {
  console.error(`[events-doc] add JSDoc to these event fields:\n  ${undocumented.join('\n  ')}`);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(pagePath, 'utf8');
  } catch {
    // A missing page differs from the generated one.
  }
  if (committed !== generated) {
    console.error('docs/events.md is out of date with the event types: run `npm run docs:events` and commit it.');
    process.exit(1);
  }
  console.log('docs/events.md matches the event types.');
} else {
  writeFileSync(pagePath, generated);
  console.log(`wrote ${pagePath}`);
}
