import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { checkAsyncResource } from '../testing/async-resource-checks.js';
import { createScheduler } from './scheduler.js';

describe('scheduler disposal', () => {
  it('`await using` cancels a running task and refuses new ones with disposed', async () => {
    let running: Promise<unknown> | undefined;
    await checkAsyncResource(
      () => {
        const scheduler = createScheduler();
        running = scheduler.run({
          name: 'forever',
          run: (_input, { signal }) =>
            new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        });
        return scheduler;
      },
      async (scheduler) => {
        await expect(running).rejects.toSatisfy((error) => AgenticGenError.hasCode(error, 'aborted'));
        expect(() => scheduler.schedule({ run: () => 1 })).toThrow(expect.objectContaining({ code: 'disposed' }));
      },
    );
  });
});
