import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {BenchContext} from './types.js';

/** Writes a benchmark's figures to `<outDir>/<name>.json`, for comparing runs later; returns the file. */
export function writeResults(context: BenchContext, name: string, results: unknown): string {
	mkdirSync(context.outDir, {recursive: true});
	const file = join(context.outDir, `${name}.json`);
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	return file;
}
