/**
 * @agenticgen/core/testing — helpers for tests of code built on AgenticGen (not for production bundles).
 */

export * from './async-resource-checks.js';
export * from './mock-chat-model.js';
