import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import type {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
	type CallToolResult,
	CallToolResultSchema,
	CreateMessageRequestSchema,
	ElicitRequestSchema,
	ListRootsRequestSchema,
	ProgressNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect} from './support/client.js';
import {CLI, eventually, servers, World, waitForExit} from './support/daemon.js';
import {exposedToolName, listAllTools} from './support/names.js';
import {daemonStatus} from './support/raw-http.js';
import {serversReady} from './support/ready.js';

// A server's question (sampling, elicitation, roots) reaches the session whose call caused it, and
// never another: sessions each answer with their own name, and every result must carry its own.

function text(result: CallToolResult): string {
	return result.content.map(item => (item.type === 'text' ? item.text : '')).join('\n');
}

let world: World;
let state: DaemonState;
/** What the daemon has written to its output so far. */
let daemonOutput: () => string;
/** The name a session sees for a server's tool. */
let exposed: (server: string, original: string) => string;
const everything = (original: string) => exposed('everything', original);
const filesystem = (original: string) => exposed('filesystem', original);
const clients: Client[] = [];

beforeEach(() => {
	world = new World();
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map(async client => client.close().catch(() => undefined)));
	await world.dispose();
});

async function start(entries: Record<string, unknown>): Promise<void> {
	world.writeConfig({mcpServers: entries});
	({state, output: daemonOutput} = await world.runDaemon());
	await serversReady(state, world.token());
	// server-everything asks for the roots once, shortly after it starts: let that pass, so that
	// every question below is one the test caused.
	await eventually(() => daemonOutput().includes('method=roots/list'), 10_000, 'server-everything’s first roots/list');
	const probe = await connect(state, world.token(), {sampling: {}, elicitation: {}});
	const catalog = await listAllTools(probe);
	await (probe.transport as StreamableHTTPClientTransport).terminateSession();
	await probe.close();
	exposed = (server, original) => exposedToolName(catalog, server, original);
}

/** The directory a session gives as its root. */
function rootOf(name: string): string {
	const root = join(world.root, 'roots', name);
	mkdirSync(root, {recursive: true});
	return root;
}

/** A session that samples and elicits, answering each with its own name, and counting how often it was asked. */
async function answeringSession(name: string, projectDir?: string) {
	const client = await connect(state, world.token(), {sampling: {}, elicitation: {}, roots: {listChanged: true}}, name, projectDir);
	clients.push(client);
	const asked = {sampling: 0, elicitation: 0, roots: 0};
	client.setRequestHandler(CreateMessageRequestSchema, async () => {
		asked.sampling++;
		return {model: name, role: 'assistant', content: {type: 'text', text: `sampled by ${name}`}};
	});
	client.setRequestHandler(ElicitRequestSchema, async () => {
		asked.elicitation++;
		return {action: 'accept', content: {name, check: true}};
	});
	client.setRequestHandler(ListRootsRequestSchema, async () => {
		asked.roots++;
		return {roots: [{uri: pathToFileURL(rootOf(name)).href, name}]};
	});
	return {name, client, asked};
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
	return client.request({method: 'tools/call', params: {name, arguments: args}}, CallToolResultSchema, {timeout: 60_000});
}

async function serverTurns(name: string) {
	const {servers} = await daemonStatus(state, world.token());
	return servers.find(server => server.name === name)!.turns;
}

/** What `mcp-tooling daemon status` prints. */
async function statusText(): Promise<string> {
	const child = world.spawn(process.execPath, [CLI, 'daemon', 'status'], {COLUMNS: '120'});
	let output = '';
	child.stdout!.on('data', chunk => (output += String(chunk)));
	await waitForExit(child, 15_000);
	return output;
}

describe.each([2, 4])('%i sessions calling a server that samples and elicits', count => {
	it('each get their own answers, each handler runs exactly for its own calls, none times out', async () => {
		await start({everything: {...servers.everything(), clientRequests: 'serialize'}});
		const sessions = await Promise.all(Array.from({length: count}, async (_, index) => answeringSession(`session-${index}`)));
		const results = await Promise.all(
			sessions.map(async ({name, client}) => ({
				name,
				texts: (
					await Promise.all([
						call(client, everything('trigger-sampling-request'), {prompt: `from ${name}`}),
						call(client, everything('trigger-sampling-request'), {prompt: `again from ${name}`}),
						call(client, everything('trigger-elicitation-request')),
					])
				).map(text),
			})),
		);
		for (const {name, texts} of results) {
			expect(texts[0]).toContain(`sampled by ${name}`);
			expect(texts[1]).toContain(`sampled by ${name}`);
			expect(texts[2]).toContain(`- Name: ${name}`);
		}

		for (const {asked} of sessions) {
			expect(asked).toMatchObject({sampling: 2, elicitation: 1});
		}

		const turns = await serverTurns('everything');
		expect(turns.serializes).toBe(true);
		expect(turns.waits).toBeGreaterThan(0);
		expect(await statusText()).toContain(
			`everything: takes calls from one session at a time (it asks its clients questions); ${turns.waits} call`,
		);
	}, 120_000);
});

describe('a call waiting for its turn', () => {
	it('can be cancelled, and the next session’s call runs once the first session’s calls end', async () => {
		await start({everything: {...servers.everything(), clientRequests: 'serialize'}});
		const first = await answeringSession('first');
		const second = await answeringSession('second');
		let firstRunning = false;
		const long = first.client.request(
			{
				method: 'tools/call',
				params: {name: everything('trigger-long-running-operation'), arguments: {duration: 2, steps: 4}, _meta: {progressToken: 1}},
			},
			CallToolResultSchema,
			{timeout: 60_000, onprogress: () => (firstRunning = true)},
		);
		await eventually(() => firstRunning, 10_000, 'the first session’s call under way');
		const controller = new AbortController();
		const cancelled = second.client.request(
			{method: 'tools/call', params: {name: everything('echo'), arguments: {message: 'never'}}},
			CallToolResultSchema,
			{signal: controller.signal},
		);
		await eventually(async () => (await serverTurns('everything')).waits === 1, 10_000, 'the second session’s call waiting');
		controller.abort('changed my mind');
		await expect(cancelled).rejects.toThrow();
		let firstDone = false;
		void long.then(() => (firstDone = true));
		const next = await call(second.client, everything('echo'), {message: 'after the first'});
		expect(firstDone).toBe(true);
		expect(text(next)).toContain('after the first');
		expect((await serverTurns('everything')).waits).toBe(2);
	}, 60_000);
});

describe('a server that asks its clients questions without being declared', () => {
	it('gets no guess while two sessions call at once, then takes turns so that every answer is its caller’s', async () => {
		await start({everything: servers.everything()});
		const first = await answeringSession('first');
		const second = await answeringSession('second');
		expect((await serverTurns('everything')).serializes).toBe(false);
		// The first round: both sessions in flight when the server asks. Nobody is guessed.
		const round = async () =>
			Promise.all(
				[first, second].map(async ({name, client}) => text(await call(client, everything('trigger-sampling-request'), {prompt: name}))),
			);
		const before = {first: first.asked.sampling, second: second.asked.sampling};
		const guessed = await round();
		const answeredBy = (texts: string[], name: string) => texts.filter(one => one.includes(`sampled by ${name}`)).length;
		// A session's handler ran only for a result that is its own.
		expect(first.asked.sampling - before.first).toBe(answeredBy([guessed[0]!], 'first'));
		expect(second.asked.sampling - before.second).toBe(answeredBy([guessed[1]!], 'second'));
		expect(guessed[0]).not.toContain('sampled by second');
		expect(guessed[1]).not.toContain('sampled by first');
		expect((await serverTurns('everything')).serializes).toBe(true);
		// From now on it is known: every result is its own caller's.
		const known = await round();
		expect(known[0]).toContain('sampled by first');
		expect(known[1]).toContain('sampled by second');
		expect(daemonOutput()).toContain('calls from different sessions now take turns');
	}, 120_000);
});

describe('a server that never asks its clients anything', () => {
	it('keeps calls from different sessions in flight together', async () => {
		await start({everything: servers.everything()});
		const sessions = await Promise.all(['a', 'b'].map(async name => answeringSession(name)));
		const progressed = new Set<string>();
		const finished: string[] = [];
		const calls = sessions.map(async ({name, client}) => {
			client.setNotificationHandler(ProgressNotificationSchema, () => {
				progressed.add(name);
			});
			await client.request(
				{
					method: 'tools/call',
					params: {name: everything('trigger-long-running-operation'), arguments: {duration: 2, steps: 4}, _meta: {progressToken: name}},
				},
				CallToolResultSchema,
				{timeout: 60_000},
			);
			// Both calls had reported progress before either ended: they ran at the same time.
			finished.push(`${name}:${[...progressed].sort().join('+')}`);
		});
		await Promise.all(calls);
		expect(finished.sort()).toEqual(['a:a+b', 'b:a+b']);
		expect(await serverTurns('everything')).toEqual({serializes: false, waits: 0, waitedMs: 0});
	}, 60_000);
});

describe('a server request outside any call', () => {
	it('goes to the only session the instance serves, and the server uses them: roots after roots/list_changed', async () => {
		const files = join(world.root, 'files');
		mkdirSync(files);
		await start({everything: servers.everything(), filesystem: servers.filesystem(files)});
		const only = await answeringSession('only');
		await only.client.sendRootsListChanged();
		await eventually(() => only.asked.roots >= 2, 10_000, 'the roots asked of the only session by both servers');
		const allowed = await eventually(async () => {
			const listed = text(await call(only.client, filesystem('list_allowed_directories')));
			return listed.includes(rootOf('only')) && listed;
		});
		expect(allowed).not.toContain(files);
		expect(text(await call(only.client, everything('get-roots-list')))).toContain(pathToFileURL(rootOf('only')).href);
	});

	it('from sessions in different projects is asked of none of them, and answered with the roots they share: none', async () => {
		await start({everything: servers.everything()});
		const base = join(world.root, 'projects');
		mkdirSync(join(base, 'a'), {recursive: true});
		mkdirSync(join(base, 'b'), {recursive: true});
		const a = await answeringSession('a', join(base, 'a'));
		const b = await answeringSession('b', join(base, 'b'));
		await a.client.sendRootsListChanged();
		await eventually(
			() => daemonOutput().includes('server request not attributed to one session'),
			10_000,
			'the unattributed request in the log',
		);
		expect(a.asked.roots + b.asked.roots).toBe(0);
		expect(text(await call(a.client, everything('get-roots-list')))).not.toContain('file:///roots/of/');
	});
});
