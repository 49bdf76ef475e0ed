// `node run-source.mjs <file.ts> [args…]`: runs a workspace TypeScript file with source-loader.mjs registered.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./source-loader.mjs', import.meta.url);
// The script sees the arguments after its own path, as if Node had started it directly.
const [file] = process.argv.splice(2, 1);
await import(pathToFileURL(file).href);
