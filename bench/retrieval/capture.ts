/**
 * Captures the retrieval corpus: real tool definitions from real MCP servers published on npm.
 *
 *   npx tsx bench/retrieval/capture.ts [--dir=DIR]
 *
 * Installs the pinned server packages into DIR (default: a new temporary directory outside the
 * repository, removed afterwards), starts each over stdio with the SDK client, calls tools/list
 * (every page) and writes bench/retrieval/corpus.json. Servers that want a token get a dummy one:
 * listing tools needs none. The Redis server refuses to start without a Redis to connect to, so it
 * gets a stand-in on a loopback port that answers every command with OK.
 */
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import type {Tool} from '@modelcontextprotocol/sdk/types.js';
import type {Corpus, CorpusServer} from './corpus.js';

type ServerPlan = {
	/** The key a user would give it in mcp_proxy_config.json. */
	readonly name: string;
	readonly package: string;
	readonly version: string;
	/** Arguments after the package's bin; `{tmp}` is a scratch directory, `{redis}` the stand-in's URL. */
	readonly args?: readonly string[];
	readonly env?: Readonly<Record<string, string>>;
};

const DUMMY = 'dummy-token-for-listing-tools';

const SERVERS: readonly ServerPlan[] = [
	{name: 'everything', package: '@modelcontextprotocol/server-everything', version: '2026.8.31', args: ['stdio']},
	{name: 'filesystem', package: '@modelcontextprotocol/server-filesystem', version: '2026.8.31', args: ['{tmp}']},
	{
		name: 'memory',
		package: '@modelcontextprotocol/server-memory',
		version: '2026.8.31',
		env: {MEMORY_FILE_PATH: '{tmp}/memory.jsonl'},
	},
	{name: 'sequential-thinking', package: '@modelcontextprotocol/server-sequential-thinking', version: '2026.8.31'},
	{
		name: 'github',
		package: '@modelcontextprotocol/server-github',
		version: '2025.4.8',
		env: {GITHUB_PERSONAL_ACCESS_TOKEN: DUMMY},
	},
	{
		name: 'gitlab',
		package: '@modelcontextprotocol/server-gitlab',
		version: '2025.4.25',
		env: {GITLAB_PERSONAL_ACCESS_TOKEN: DUMMY, GITLAB_API_URL: 'http://127.0.0.1:9/api/v4'},
	},
	{
		name: 'slack',
		package: '@modelcontextprotocol/server-slack',
		version: '2025.4.25',
		env: {SLACK_BOT_TOKEN: DUMMY, SLACK_TEAM_ID: 'T00000000'},
	},
	{
		name: 'google-maps',
		package: '@modelcontextprotocol/server-google-maps',
		version: '0.6.2',
		env: {GOOGLE_MAPS_API_KEY: DUMMY},
	},
	{
		name: 'brave-search',
		package: '@modelcontextprotocol/server-brave-search',
		version: '0.6.2',
		env: {BRAVE_API_KEY: DUMMY},
	},
	{name: 'puppeteer', package: '@modelcontextprotocol/server-puppeteer', version: '2025.5.12'},
	{
		name: 'postgres',
		package: '@modelcontextprotocol/server-postgres',
		version: '0.6.2',
		args: ['postgresql://127.0.0.1:9/dummy'],
	},
	{name: 'redis', package: '@modelcontextprotocol/server-redis', version: '2025.4.25', args: ['{redis}']},
];

const HERE = dirname(fileURLToPath(import.meta.url));

/** Just enough of a Redis server for a client to connect: every command is answered `+OK`. */
async function startRedisStandIn(): Promise<{server: Server; url: string}> {
	const server = createServer(socket => {
		let pending = '';
		socket.on('data', chunk => {
			pending += chunk.toString('latin1');
			// A command is a RESP array: `*N\r\n` then N bulk strings `$len\r\n…\r\n`.
			for (;;) {
				const consumed = commandLength(pending);
				if (consumed === 0) {
					break;
				}

				pending = pending.slice(consumed);
				socket.write('+OK\r\n');
			}
		});
		socket.on('error', () => socket.destroy());
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address === 'string') {
		throw new Error('the Redis stand-in has no port');
	}

	return {server, url: `redis://127.0.0.1:${address.port}`};
}

/** Length of the first complete RESP command in `text`, 0 when it is not all there yet. */
function commandLength(text: string): number {
	const header = /^\*(\d+)\r\n/.exec(text);
	if (!header) {
		return 0;
	}

	let at = header[0].length;
	for (let part = 0; part < Number(header[1]); part++) {
		const bulk = /^\$(\d+)\r\n/.exec(text.slice(at));
		if (!bulk) {
			return 0;
		}

		at += bulk[0].length + Number(bulk[1]) + 2;
		if (at > text.length) {
			return 0;
		}
	}

	return at;
}

function install(dir: string): void {
	writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'retrieval-corpus-capture', private: true}));
	const specs = SERVERS.map(plan => `${plan.package}@${plan.version}`);
	process.stderr.write(`capture: installing ${specs.length} server packages into ${dir}\n`);
	// No install scripts: puppeteer's would download a browser, which listing tools does not need.
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', ...specs], {
		cwd: dir,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: {...process.env, PUPPETEER_SKIP_DOWNLOAD: '1'},
	});
}

function binOf(dir: string, packageName: string): {path: string; version: string} {
	const root = join(dir, 'node_modules', packageName);
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
		version: string;
		bin?: string | Record<string, string>;
	};
	const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
	if (!bin) {
		throw new Error(`${packageName} has no bin`);
	}

	return {path: join(root, bin), version: manifest.version};
}

async function listTools(plan: ServerPlan, dir: string, scratch: string, redisUrl: string): Promise<CorpusServer> {
	const fill = (text: string) => text.replaceAll('{tmp}', scratch).replaceAll('{redis}', redisUrl);
	const bin = binOf(dir, plan.package);
	if (bin.version !== plan.version) {
		throw new Error(`${plan.package}: installed ${bin.version}, wanted ${plan.version}`);
	}

	const env: Record<string, string> = {};
	for (const key of ['PATH', 'HOME', 'TMPDIR']) {
		if (process.env[key]) {
			env[key] = process.env[key]!;
		}
	}

	for (const [key, value] of Object.entries(plan.env ?? {})) {
		env[key] = fill(value);
	}

	const transport = new StdioClientTransport({
		command: process.execPath,
		args: [bin.path, ...(plan.args ?? []).map(fill)],
		env,
		cwd: scratch,
		stderr: 'ignore',
	});
	const client = new Client({name: 'mcp-tooling-retrieval-capture', version: '0.0.0'});
	await client.connect(transport);
	try {
		const tools: Tool[] = [];
		let cursor: string | undefined;
		do {
			const page = await client.listTools(cursor === undefined ? {} : {cursor});
			tools.push(...page.tools);
			cursor = page.nextCursor;
		} while (cursor !== undefined);

		const info = client.getServerVersion();
		return {
			name: plan.name,
			package: plan.package,
			version: bin.version,
			...(info && {serverInfo: {name: info.name, version: info.version}}),
			tools,
		};
	} finally {
		await client.close();
	}
}

async function main(): Promise<void> {
	const dirOption = process.argv.slice(2).find(arg => arg.startsWith('--dir='));
	const dir = dirOption ? dirOption.slice('--dir='.length) : mkdtempSync(join(tmpdir(), 'retrieval-capture-'));
	const scratch = mkdtempSync(join(tmpdir(), 'retrieval-scratch-'));
	mkdirSync(dir, {recursive: true});
	const redis = await startRedisStandIn();
	try {
		install(dir);
		const servers: CorpusServer[] = [];
		for (const plan of SERVERS) {
			const server = await listTools(plan, dir, scratch, redis.url);
			process.stderr.write(`capture: ${plan.name} (${plan.package}@${server.version}): ${server.tools.length} tools\n`);
			servers.push(server);
		}

		const corpus: Corpus = {
			note: 'Tool definitions as each server returned them from tools/list; captured by bench/retrieval/capture.ts.',
			captured: new Date().toISOString().slice(0, 10),
			servers,
		};
		writeFileSync(join(HERE, 'corpus.json'), `${JSON.stringify(corpus, null, '\t')}\n`);
		process.stderr.write(
			`capture: wrote ${servers.reduce((sum, server) => sum + server.tools.length, 0)} tools ` +
				`from ${servers.length} servers to bench/retrieval/corpus.json\n`,
		);
	} finally {
		redis.server.close();
		rmSync(scratch, {recursive: true, force: true});
		if (!dirOption) {
			rmSync(dir, {recursive: true, force: true});
		}
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`capture: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
