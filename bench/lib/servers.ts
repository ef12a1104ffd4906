import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {McpServerEntry} from './world.js';

/** The stdio servers the benchmarks run, from the repository's own node_modules (no npx: no wrapper process). */
export type ServerKey = 'everything' | 'memory' | 'filesystem';

export const SERVER_KEYS: readonly ServerKey[] = ['everything', 'memory', 'filesystem'];

function script(repo: string, pkg: string): string {
	return join(repo, 'node_modules', '@modelcontextprotocol', pkg, 'dist', 'index.js');
}

/**
 * How to start each server, the same whether the daemon or a direct client starts it. The memory
 * server keeps its graph in a file and the filesystem server needs a directory it may serve:
 * both live under `root` (a benchmark's throwaway directory).
 */
export function serverEntries(repo: string, root: string, keys: readonly ServerKey[] = SERVER_KEYS): Record<string, McpServerEntry> {
	const files = join(root, 'files');
	mkdirSync(files, {recursive: true});
	writeFileSync(join(files, 'hello.txt'), 'hello\n');
	const all: Record<ServerKey, McpServerEntry> = {
		everything: {command: process.execPath, args: [script(repo, 'server-everything'), 'stdio']},
		memory: {
			command: process.execPath,
			args: [script(repo, 'server-memory')],
			env: {MEMORY_FILE_PATH: join(root, 'memory.jsonl')},
		},
		filesystem: {command: process.execPath, args: [script(repo, 'server-filesystem'), files]},
	};
	return Object.fromEntries(keys.map(key => [key, all[key]]));
}
