import { describe, expect, it } from 'vitest';
import { toolInputAsArgumentsText, toolInputAsObject } from './tool-call-input.js';

describe('replaying a tool call to the provider', () => {
  it('sends parsed arguments as JSON text and raw (unparseable) arguments unchanged', () => {
    expect(toolInputAsArgumentsText({ code: 'print(1)' })).toBe('{"code":"print(1)"}');
    expect(toolInputAsArgumentsText('{"code": "print(2')).toBe('{"code": "print(2');
    expect(toolInputAsArgumentsText(undefined)).toBe('{}');
  });

  it('keeps object-only wire formats (Anthropic, Gemini) valid while preserving what the model wrote', () => {
    expect(toolInputAsObject({ a: 1 })).toEqual({ a: 1 });
    expect(toolInputAsObject('{"a": ')).toEqual({ invalid_json_arguments: '{"a": ' });
    expect(toolInputAsObject([1, 2])).toEqual({ invalid_json_arguments: '[1,2]' });
    expect(toolInputAsObject(null)).toEqual({});
  });
});
