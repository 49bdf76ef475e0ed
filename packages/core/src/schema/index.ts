export { type Static, type TSchema, Type } from '@sinclair/typebox';
export {
  type CompileSchemaOptions,
  compileSchema,
  formatIssues,
  type ValidationIssue,
  type ValidationResult,
  type Validator,
} from './validator.js';
