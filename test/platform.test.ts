import {spawn} from 'node:child_process';
import {chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {userInfo} from 'node:os';
import {join} from 'node:path';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {afterEach, describe, expect, it} from 'vitest';
import {MAX_SOCKET_PATH, socketPath} from '../src/platform/socket-path.js';
import {BRIDGE, CLI, servers, type World} from './support/daemon.js';
import {bridgeClient, finished, idleProcess, hook, lifecycleWorld, runCli} from './support/lifecycle.js';

// What differs between systems, seen from outside: where the socket goes when the run directory is
// too deep for one (macOS allows 103 bytes, and the same limit holds here), and what a system we do
// not support yet is told.

const worlds: World[] = [];
const clients: Client[] = [];
const temps: string[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) await client.close();
	for (const world of worlds.splice(0)) await world.dispose();
	for (const temp of temps.splice(0)) rmSync(temp, {recursive: true, force: true});
});

/** A temp dir of the test's own, short enough to hold the socket directory: the test's TMPDIR. */
function shortTemp(): string {
	const temp = mkdtempSync(join('/tmp', 'mcp-sock-'));
	temps.push(temp);
	return temp;
}

/**
 * A world whose AITKIT_ROOT is too deep for a socket beside its run files (as a Mac's home often is with a long user name and a
 * nested project).
 */
function deepWorld(temp: string): World {
	const world = lifecycleWorld({TMPDIR: temp}, 'a-rather-long-directory-name/'.repeat(4));
	world.writeConfig({mcpServers: {everything: servers.everything()}});
	worlds.push(world);
	expect(Buffer.byteLength(join(world.root, 'run', 'mcp-proxy-mcp-user.sock'))).toBeGreaterThan(MAX_SOCKET_PATH);
	return world;
}

describe('socketPath', () => {
	it('puts the socket beside the run files when it fits, else in a short owner-only directory', () => {
		expect(socketPath('/home/me/.aitkit/run', 'mcp-user', {})).toBe('/home/me/.aitkit/run/mcp-proxy-mcp-user.sock');
		const deep = `/Users/${'x'.repeat(80)}/.aitkit/run`;
		const short = socketPath(deep, 'mcp-user', {TMPDIR: '/var/folders/zz/abc123/T/'});
		expect(short).toMatch(new RegExp(`^/var/folders/zz/abc123/T/mcp-tooling-${userInfo().uid}/[0-9a-f]{8}\\.sock$`));
		// Stable, and apart for each daemon name.
		expect(socketPath(deep, 'mcp-user', {TMPDIR: '/var/folders/zz/abc123/T/'})).toBe(short);
		expect(socketPath(deep, 'other', {TMPDIR: '/var/folders/zz/abc123/T/'})).not.toBe(short);
		// A temp dir too deep itself falls back to /tmp.
		expect(socketPath(deep, 'mcp-user', {TMPDIR: `/${'t'.repeat(100)}`})).toMatch(/^\/tmp\/mcp-tooling-\d+\/[0-9a-f]{8}\.sock$/);
	});
});

describe('a deep AITKIT_ROOT', () => {
	it('serves bridges and hooks over a socket in the short directory, and leaves none behind', async () => {
		const temp = shortTemp();
		const world = deepWorld(temp);
		const claude = idleProcess(world);
		const started = await hook(world, 'session-start', claude, {session_id: 'deep'});
		expect(started.code, started.stderr).toBe(0);

		const socket = world.state()!.socket;
		const dir = join(temp, `mcp-tooling-${userInfo().uid}`);
		expect(socket.startsWith(`${dir}/`)).toBe(true);
		expect(Buffer.byteLength(socket)).toBeLessThanOrEqual(MAX_SOCKET_PATH);
		expect(lstatSync(dir).mode & 0o777).toBe(0o700);
		expect(lstatSync(socket).isSocket()).toBe(true);

		const client = await bridgeClient(world);
		clients.push(client);
		const {tools} = await client.listTools();
		expect(tools.map(tool => tool.name)).toContain('everything__echo');

		const stopped = await runCli(world, ['daemon', 'stop']);
		expect(stopped.code, stopped.stderr).toBe(0);
		expect(() => lstatSync(socket)).toThrow(/ENOENT/);
	});

	it.each([
		[
			'open to others',
			(dir: string) => {
				mkdirSync(dir, {mode: 0o700});
				chmodSync(dir, 0o755);
			},
			/has mode 755, not 700/,
		],
		[
			'a symlink',
			(dir: string) => {
				mkdirSync(`${dir}-elsewhere`, {mode: 0o700});
				symlinkSync(`${dir}-elsewhere`, dir);
			},
			/is not a directory \(a symlink\?\)/,
		],
	])('refuses a socket directory that is %s, naming it and the fix', async (_, prepare, problem) => {
		const temp = shortTemp();
		const world = deepWorld(temp);
		const dir = join(temp, `mcp-tooling-${userInfo().uid}`);
		prepare(dir);
		const outcome = await finished(world.spawn(process.execPath, [CLI, 'daemon', 'run']));
		expect(outcome.code).not.toBe(0);
		expect(outcome.stderr).toMatch(problem);
		expect(outcome.stderr).toContain(dir);
		expect(outcome.stderr).toContain(`Remove ${dir}`);
		expect(world.state()).toBeUndefined();
	});
});

describe('native Windows', () => {
	/** Node told it runs on Windows before any of our code loads. */
	const ON_WINDOWS = ['--import', `data:text/javascript,Object.defineProperty(process, 'platform', {value: 'win32'})`];
	const SENTENCE = 'mcp-tooling: native Windows is not supported yet; WSL 2 works (run Claude Code and this plugin inside WSL).';

	function windowsWorld(): World {
		const world = lifecycleWorld();
		world.writeConfig({mcpServers: {everything: servers.everything()}});
		worlds.push(world);
		return world;
	}

	it('the CLI says so on stderr and fails', async () => {
		const world = windowsWorld();
		const outcome = await finished(world.spawn(process.execPath, [...ON_WINDOWS, CLI, 'daemon', 'start']));
		expect(outcome).toEqual({code: 1, stdout: '', stderr: `${SENTENCE}\n`});
		expect(world.state()).toBeUndefined();
	});

	it('the hooks say so in one line and let the session go on', async () => {
		const world = windowsWorld();
		for (const event of ['session-start', 'session-end']) {
			const outcome = await finished(world.spawn(process.execPath, [...ON_WINDOWS, join(CLI, '..', 'hook.js'), event]), '{}');
			expect(outcome).toEqual({code: 0, stdout: `${SENTENCE}\n`, stderr: ''});
		}
		expect(world.state()).toBeUndefined();
	});

	it('the bridge answers every request with the sentence, and starts no daemon', async () => {
		const world = windowsWorld();
		const bridge = spawn(process.execPath, [...ON_WINDOWS, BRIDGE], {env: world.env, stdio: ['pipe', 'pipe', 'pipe']});
		const initialize = {
			jsonrpc: '2.0',
			id: 1,
			method: 'initialize',
			params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'test', version: '1'}},
		};
		const list = {jsonrpc: '2.0', id: 2, method: 'tools/list'};
		const outcome = await finished(
			bridge,
			`${JSON.stringify(initialize)}\n${JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'})}\n${JSON.stringify(list)}\n`,
		);
		const replies = outcome.stdout
			.trim()
			.split('\n')
			.map(line => JSON.parse(line) as {id: number; error: {code: number; message: string}});
		expect(replies).toEqual([
			{jsonrpc: '2.0', id: 1, error: {code: -32_603, message: SENTENCE}},
			{jsonrpc: '2.0', id: 2, error: {code: -32_603, message: SENTENCE}},
		]);
		expect(world.state()).toBeUndefined();
	});
});
