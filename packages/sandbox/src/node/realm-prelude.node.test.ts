import vm from 'node:vm';
import { expect, it } from 'vitest';
import { strictSource } from './realm-prelude.js';

it('compiles the realm code in strict mode: a callback called without a receiver never gets the global object', () => {
  const context = vm.createContext(vm.constants.DONT_CONTEXTIFY, { codeGeneration: { strings: false } });
  function receiverOfPlainCall(): unknown {
    const plain = function (this: unknown) {
      return this;
    };
    return plain();
  }
  const strict = vm.runInContext(strictSource(receiverOfPlainCall), context) as () => unknown;
  expect(strict()).toBeUndefined();
  const sloppy = vm.runInContext(`(${receiverOfPlainCall.toString()})`, context) as () => unknown;
  expect(sloppy()).toBe(vm.runInContext('globalThis', context));
});
