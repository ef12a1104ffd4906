import {defineConfig} from 'tsup';

// Installing the plugin runs no build and no `npm install`, so each entry is one self-contained
// ESM file with every dependency inlined. CommonJS dependencies call `require` for Node built-ins,
// which an ESM bundle lacks: the banner provides one.
export default defineConfig({
	// The keys name the output files (dist/cli.js, dist/bridge.js, dist/hook.js), which the plugin's files name.
	entry: {cli: 'src/entries/cli.ts', bridge: 'src/entries/bridge.ts', hook: 'src/entries/hook.ts'},
	format: 'esm',
	platform: 'node',
	target: 'node20',
	outDir: 'dist',
	clean: true,
	splitting: false,
	sourcemap: false,
	minify: false,
	noExternal: [/.*/],
	banner: {
		js: "import {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);",
	},
});
