// Bundles the CLI and the embedding API into dist/ with esbuild. Run by `npm install` (prepare).
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

// binaryen and wabt are large and load their own Wasm: keep them as runtime imports.
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning', external: ['binaryen', 'wabt'] };
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
await build({ ...common, define: { __RVWASM_VERSION__: JSON.stringify(pkg.version) }, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
await build({ ...common, entryPoints: ['src/api/index.ts'], outfile: 'dist/index.js' });
chmodSync('dist/cli.js', 0o755);
