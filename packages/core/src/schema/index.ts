export { type Static, type TSchema, Type } from '@sinclair/typebox';
export * from './validator.js';
