import { AgenticGenError, compileSchema, type Static, type TSchema, Type, type Validator } from '@agenticgen/core';
import { jsonDepthExceeds } from '../limits/json-depth.ts';

/** A conversation turn as clients send it (text only; the server adds tool turns itself). */
export const ChatTurnSchema = Type.Object(
  {
    role: Type.Union([Type.Literal('user'), Type.Literal('assistant'), Type.Literal('system')]),
    content: Type.String({ maxLength: 32_000 }),
  },
  { additionalProperties: false },
);

const RoomName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9_.:-]+$' });
const RequestId = Type.String({ minLength: 1, maxLength: 64 });

const AuthMessage = Type.Object({ type: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: 4096 }) });
const JoinMessage = Type.Object({ type: Type.Literal('join'), room: RoomName });
const LeaveMessage = Type.Object({ type: Type.Literal('leave'), room: RoomName });
const PublishMessage = Type.Object({ type: Type.Literal('publish'), room: RoomName, data: Type.Unknown() });
const ChatMessage = Type.Object({
  type: Type.Literal('chat'),
  requestId: Type.Optional(RequestId),
  room: Type.Optional(RoomName),
  messages: Type.Array(ChatTurnSchema, { minItems: 1, maxItems: 200 }),
});
const AgentRunMessage = Type.Object({
  type: Type.Literal('agent-run'),
  requestId: Type.Optional(RequestId),
  room: Type.Optional(RoomName),
  agent: Type.String({ minLength: 1, maxLength: 64 }),
  input: Type.String({ minLength: 1, maxLength: 32_000 }),
});
const CancelMessage = Type.Object({
  type: Type.Literal('cancel'),
  runId: Type.String({ minLength: 1, maxLength: 64 }),
});

export type ChatTurn = Static<typeof ChatTurnSchema>;
export type ClientMessage =
  | Static<typeof AuthMessage>
  | Static<typeof JoinMessage>
  | Static<typeof LeaveMessage>
  | Static<typeof PublishMessage>
  | Static<typeof ChatMessage>
  | Static<typeof AgentRunMessage>
  | Static<typeof CancelMessage>;

/**
 * One compiled validator per message type: dispatching on `type` first gives a precise error
 * ("at /messages/0/role: …") instead of TypeBox's "expected union value" for a discriminated union.
 */
const validators = new Map<string, Validator<unknown>>(
  (
    [
      ['auth', AuthMessage],
      ['join', JoinMessage],
      ['leave', LeaveMessage],
      ['publish', PublishMessage],
      ['chat', ChatMessage],
      ['agent-run', AgentRunMessage],
      ['cancel', CancelMessage],
    ] as Array<[string, TSchema]>
  ).map(([type, schema]) => [type, compileSchema(schema) as Validator<unknown>]),
);

/** The message types clients may send, for error messages and docs. */
export const clientMessageTypes: readonly string[] = [...validators.keys()];

/** Deepest nesting a message may have, checked before parsing (as for HTTP bodies). */
export const maxMessageDepth = 64;

/** Parses and validates one text frame; throws `validation-failed` with the path of every problem. */
export function parseClientMessage(text: string): ClientMessage {
  if (jsonDepthExceeds(text, maxMessageDepth)) {
    throw new AgenticGenError(
      'validation-failed',
      `[gateway] message nests deeper than ${maxMessageDepth} levels; flatten it`,
      { data: { maxDepth: maxMessageDepth } },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AgenticGenError(
      'validation-failed',
      '[gateway] message is not valid JSON; send one JSON object per frame',
    );
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const validator = typeof type === 'string' ? validators.get(type) : undefined;
  if (validator === undefined) {
    throw new AgenticGenError(
      'validation-failed',
      `[gateway] unknown message type ${JSON.stringify(type ?? null)}; expected one of ${clientMessageTypes.join(', ')}`,
      { data: { expected: clientMessageTypes } },
    );
  }
  return validator.parse(value, { scope: 'gateway', what: `"${String(type)}" message` }) as ClientMessage;
}
