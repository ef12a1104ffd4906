import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseConfig} from '../config/load.js';
import type {ProxyConfig} from '../config/schema.js';

/** The project's own dev dependencies, so `npm start` works offline on a fresh clone. */
const DEMO_SERVERS = {
	everything: {package: '@modelcontextprotocol/server-everything', args: ['stdio']},
	memory: {package: '@modelcontextprotocol/server-memory', args: []},
	filesystem: {package: '@modelcontextprotocol/server-filesystem', args: ['.']},
} as const;

function findPackage(name: string): string | undefined {
	for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
		const candidate = join(dir, 'node_modules', name, 'package.json');
		if (existsSync(candidate)) {
			return dirname(candidate);
		}

		if (dirname(dir) === dir) {
			return undefined;
		}
	}
}

function binOf(packageDir: string): string {
	const {bin} = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
		bin: string | Record<string, string>;
	};
	return join(packageDir, typeof bin === 'string' ? bin : Object.values(bin)[0]!);
}

/** A config of the demo servers found in node_modules; the environment still supplies settings. */
export function demoConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
	const mcpServers: Record<string, unknown> = {};
	for (const [name, server] of Object.entries(DEMO_SERVERS)) {
		const dir = findPackage(server.package);
		if (!dir) {
			throw new Error(`The demo needs ${server.package}: run \`npm ci\` in the mcp-tooling checkout first.`);
		}

		mcpServers[name] = {command: process.execPath, args: [binOf(dir), ...server.args]};
	}

	return parseConfig(JSON.stringify({mcpServers}), '<built-in demo config>', env);
}
