import { type Agent, createAgent } from '../agents/create-agent.js';
import { Type } from '../schema/index.js';
import { defineTool, suspend } from '../tools/define-tool.js';
import { MockChatModel } from './mock-chat-model.js';

/** What `createApprovalAgent` takes. */
export interface ApprovalAgentOptions {
  /** Called once per approved payment with `<invoice>:<approver>` (e.g. `INV-7:Grace`). */
  record(entry: string): void | Promise<void>;
  /** The `idempotent` flag of the `pay` tool (default: the tool default, idempotent). */
  idempotent?: boolean;
}

/**
 * An agent for tests of durable runs and of the stores that keep them: its model calls the `pay` tool for
 * invoice `INV-7` (call id `call-1`), whose `suspend()` waits for a manager's approval
 * (`{ approved: boolean, by: string }`, suspension `call-1:1`, reason `approve invoice INV-7`); an approved
 * payment is recorded, then the model answers `finished: <the tool's output as JSON>`. Build a fresh one for
 * each process or resume, as a restarted service would, and wrap it with `createDurableAgent(agent, { store })`.
 */
export function createApprovalAgent(options: ApprovalAgentOptions): Agent {
  const approval = Type.Object({ approved: Type.Boolean(), by: Type.String({ maxLength: 100 }) });
  const pay = defineTool({
    name: 'pay',
    description: 'Pays an invoice once a manager approved it',
    parameters: Type.Object({ invoice: Type.String() }),
    ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    async execute({ invoice }, context) {
      const { approved, by } = await suspend(context, { reason: `approve invoice ${invoice}`, schema: approval });
      if (!approved) return { paid: false };
      await options.record(`${invoice}:${by}`);
      return { paid: true, by };
    },
  });
  const model = new MockChatModel({
    repeatLast: true,
    responses: [
      (request) => {
        const result = request.messages.find((message) => message.role === 'tool');
        return result === undefined
          ? { toolCalls: [{ toolName: 'pay', input: { invoice: 'INV-7' }, toolCallId: 'call-1' }] }
          : { text: `finished: ${JSON.stringify(result.content[0]?.output)}` };
      },
    ],
  });
  return createAgent({ name: 'payer', instructions: 'Pay invoices.', model, tools: [pay] });
}
