import vm from 'node:vm';
import { expect, it } from 'vitest';
import { type NodeRealmHost, nodeRealmPrelude, strictSource } from './realm-prelude.js';

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

/** The smallest valid wasm binary: the magic number and version 1, no sections. */
const emptyWasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

function installPrelude(host: Partial<NodeRealmHost>) {
  const context = vm.createContext(vm.constants.DONT_CONTEXTIFY, { codeGeneration: { strings: false, wasm: true } });
  const install = vm.runInContext(strictSource(nodeRealmPrelude), context) as typeof nodeRealmPrelude;
  const indexURL = 'https://pyodide.sandbox.invalid/';
  install({
    indexURL,
    log: () => {},
    asset: () => null,
    newDecoder: () => 0,
    decode: () => '',
    encode: () => new Uint8Array(0),
    parseUrl: () => '{}',
    fillRandom: () => {},
    now: () => 0,
    setTimer: () => {},
    clearTimer: () => {},
    post: () => {},
    memoryBytes: () => 0,
    loadModules: () => {},
    ...host,
  });
  const scope = context as unknown as {
    fetch(url: string): Promise<unknown>;
    WebAssembly: { Module: typeof WebAssembly.Module; compile(bytes: Uint8Array): Promise<WebAssembly.Module> };
    gc?: unknown;
  };
  return {
    context,
    scope,
    instantiate: (imports: object) =>
      (
        vm.runInContext('WebAssembly.instantiateStreaming', context) as (
          source: unknown,
          imports: object,
        ) => Promise<{ instance: unknown; module: unknown }>
      )(scope.fetch(`${indexURL}pyodide.asm.wasm`), imports),
  };
}

it('instantiates the wasm module the worker received (compiled once per process) and never copies the binary', async () => {
  let reads = 0;
  // A binary that does not compile: instantiating from it would fail, so success proves the shared module was used.
  const broken = new Uint8Array([1, 2, 3, 4]);
  let realm: ReturnType<typeof installPrelude> | undefined;
  const shared = new Promise<WebAssembly.Module>((resolve) => {
    realm = installPrelude({
      asset: () => {
        reads += 1;
        return broken;
      },
      wasmModule: (done) => {
        // Compiled in the context's realm, as the worker delivers it (a port moved into the context).
        void (realm as NonNullable<typeof realm>).scope.WebAssembly.compile(emptyWasm).then((module) => {
          resolve(module);
          done(module);
        });
      },
    });
  });
  const { instance, module } = await (realm as NonNullable<typeof realm>).instantiate({});
  expect(module).toBe(await shared);
  expect(instance).toBeInstanceOf(
    vm.runInContext('WebAssembly.Instance', (realm as NonNullable<typeof realm>).context),
  );
  expect(reads).toBe(1);
});

it('compiles the binary it serves when no shared module is available, and leaves no gc in the context', async () => {
  const realm = installPrelude({ asset: () => emptyWasm, wasmModule: (done) => done(null) });
  const { module } = await realm.instantiate({});
  expect(module).toBeInstanceOf(realm.scope.WebAssembly.Module);
  expect('gc' in realm.scope).toBe(false);
});
