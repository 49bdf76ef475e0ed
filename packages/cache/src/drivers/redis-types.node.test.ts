import type { Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisClient } from './redis.js';

// The published types describe the ioredis client structurally, so they never import the optional peer; an
// ioredis client must still fit the option (checked by the typecheck).
describe('Redis driver option types', () => {
  it('take an ioredis client and refuse other objects', () => {
    expectTypeOf<Redis>().toExtend<RedisClient>();
    expectTypeOf<{ publish(): void }>().not.toExtend<RedisClient>();
  });
});
