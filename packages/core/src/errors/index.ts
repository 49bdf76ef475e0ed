export * from './abort.js';
export * from './agenticgen-error.js';
export { coreErrorCodes } from './error-codes.js';
