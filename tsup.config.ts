import {defineConfig} from 'tsup';

// Installing the plugin runs no build and no `npm install`, so each entry is one self-contained
// ESM file with every dependency inlined. CommonJS dependencies call `require` for Node built-ins,
// which an ESM bundle lacks: the banner provides one.
export default defineConfig({
	entry: {cli: 'src/cli.ts', bridge: 'src/bridge.ts', hook: 'src/hook.ts'},
	format: 'esm',
	platform: 'node',
	target: 'node20',
	outDir: 'dist',
	clean: true,
	splitting: false,
	sourcemap: false,
	minify: false,
	noExternal: [/.*/],
	banner: {js: "import {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);"},
});
