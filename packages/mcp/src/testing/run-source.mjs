// `node run-source.mjs <file.ts> [args…]`: runs a workspace TypeScript file with source-loader.mjs registered.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./source-loader.mjs', import.meta.url);
await import(pathToFileURL(process.argv[2]).href);
