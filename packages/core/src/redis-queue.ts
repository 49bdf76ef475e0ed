/**
 * @agenticgen/core/redis-queue — a task queue shared by several Node processes through Redis (BullMQ, an
 * optional peer dependency loaded on first use). Kept out of the main entry so browser bundles never see it.
 */

export * from './orchestration/durable-queue.js';
export * from './orchestration/redis-queue.js';
