import {execaSync} from 'execa';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {afterEach, expect, it} from 'vitest';
import {processStartTime, signalZero} from '../src/platform/os-processes.js';
import {eventually, isAlive, servers, waitForPidExit, type World} from './support/daemon.js';
import {bridgeClient, daemonsOfWorld, lifecycleWorld, processesOfWorld, runCli, statusOf} from './support/lifecycle.js';

// The daemon dies under attached sessions (killed, crashed, OOM): the sessions go on, on a new
// daemon, without their client restarting anything.

let world: World;
const clients: Client[] = [];

afterEach(async () => {
	await Promise.all(clients.splice(0).map(async client => client.close()));
	await world.dispose();
});

function newWorld(): World {
	world = lifecycleWorld();
	world.writeConfig({
		mcpServers: {everything: servers.everything(), memory: servers.memory(join(world.root, 'memory.jsonl'))},
	});
	return world;
}

async function attach(name: string): Promise<Client> {
	const client = await bridgeClient(world, name);
	clients.push(client);
	return client;
}

async function echo(client: Client, message: string): Promise<unknown> {
	return (await client.callTool({name: 'everything__echo', arguments: {message}})).content;
}

/** Connections to the daemon's port with bytes it has not read yet: requests it has not seen. */
/** Bytes bridges wrote to the daemon's socket that it has not read (Recv-Q of its side, from `ss`). */
function unreadBytes(socketPath: string): number {
	const {stdout} = execaSync('ss', ['-xn'], {reject: false});
	return String(stdout)
		.split('\n')
		.map(line => line.trim().split(/\s+/))
		.filter(([, , , , local]) => local === socketPath)
		.reduce((sum, [, , recvQ]) => sum + Number(recvQ ?? 0), 0);
}

/** SIGKILL, so the daemon can neither answer nor clean up; returns its pid and its servers' pids. */
async function killDaemon(): Promise<{pid: number; upstreams: number[]}> {
	const upstreams = (await statusOf(world)).servers.map(server => server.pid).filter((pid): pid is number => pid !== null);
	const {pid} = world.state()!;
	process.kill(pid, 'SIGKILL');
	expect(await waitForPidExit(pid, 5000)).toBe(true);
	// Gone for good, not just a zombie: on Linux the main thread turns zombie while other threads
	// still exit and hold its sockets open, so a message written then is taken in and never read.
	// Its parent (the bridge that started it) reaps it once the last thread is gone.
	await eventually(() => !signalZero(pid), 5000, 'the killed daemon reaped');
	return {pid, upstreams};
}

it('keeps two attached sessions working on a new daemon after the daemon is SIGKILLed', async () => {
	newWorld();
	const first = await attach('first');
	const second = await attach('second');
	expect(await echo(first, 'one')).toEqual([{type: 'text', text: 'Echo: one'}]);
	expect(await echo(second, 'two')).toEqual([{type: 'text', text: 'Echo: two'}]);

	const old = await killDaemon();

	// Their next calls bring up one new daemon, and each bridge opens a new session on it by itself.
	const [afterFirst, afterSecond] = await Promise.all([echo(first, 'one again'), echo(second, 'two again')]);
	expect(afterFirst).toEqual([{type: 'text', text: 'Echo: one again'}]);
	expect(afterSecond).toEqual([{type: 'text', text: 'Echo: two again'}]);
	const renewed = world.state()!.pid;
	expect(renewed).not.toBe(old.pid);
	expect(daemonsOfWorld(world)).toEqual([renewed]);
	expect((await statusOf(world)).sessions).toBe(2);
	expect((await first.listTools()).tools.map(tool => tool.name)).toContain('memory__read_graph');

	// The killed daemon's servers are gone too: they saw their stdin close, or the new daemon ended them.
	await eventually(() => old.upstreams.every(pid => !isAlive(pid)), 5000, 'the old servers gone');
});

it('answers a call cut off by the daemon dying with a clear error, not a hang, and the next call works', async () => {
	newWorld();
	const client = await attach('interrupted');
	const {tools} = await client.listTools();
	const longRunning = tools.find(tool => tool.name.endsWith('__trigger-long-running-operation'))?.name;
	expect(longRunning).toBeDefined();

	// Running for a minute, it cannot end on its own before the test looks at it.
	let progressed = false;
	const call = client
		.callTool({name: longRunning!, arguments: {duration: 60, steps: 60}}, undefined, {
			onprogress: () => (progressed = true),
			timeout: 120_000,
		})
		.then(
			result => ({result}),
			(error: Error) => ({error}),
		);
	await eventually(() => progressed, 10_000, 'the operation under way upstream');

	await killDaemon();
	const killedAt = Date.now();
	const outcome = await call;
	// Only a hang fails this: the bridge reports the cut-off call as soon as it sees the daemon go.
	expect(Date.now() - killedAt).toBeLessThan(30_000);
	expect(outcome).toMatchObject({
		error: {message: expect.stringContaining('The mcp-tooling daemon stopped while "tools/call" was running')},
	});

	expect(await echo(client, 'after')).toEqual([{type: 'text', text: 'Echo: after'}]);
});

it('resends by itself a lost request that changes nothing (a listing), but not a lost tool call', async () => {
	newWorld();
	const client = await attach('lost-requests');
	await client.listTools();
	const {pid} = world.state()!;

	// Stopped, the daemon lets both requests reach it but never answers them; then it dies.
	process.kill(pid, 'SIGSTOP');
	const listing = client.listTools().then(
		result => ({result}),
		(error: Error) => ({error}),
	);
	const call = echo(client, 'lost').then(
		result => ({result}),
		(error: Error) => ({error}),
	);
	try {
		// A tools/list and an echo call, one JSON line each: well over 150 bytes together.
		await eventually(() => unreadBytes(world.state()!.socket) >= 150, 5000, 'both requests waiting at the daemon');
	} finally {
		process.kill(pid, 'SIGKILL');
	}

	const listed = await listing;
	expect('result' in listed && listed.result.tools.map(tool => tool.name)).toContain('everything__echo');
	expect(await call).toMatchObject({
		error: {message: expect.stringContaining('The mcp-tooling daemon stopped while "tools/call" was running')},
	});
	expect(world.state()!.pid).not.toBe(pid);
});

it('does not wait on a daemon that its files still name but that drops the bridge while it dies', async () => {
	newWorld();
	const client = await attach('dying-daemon');
	await client.listTools();
	await killDaemon();

	// The moment a killed daemon exits: its state file names a live process whose socket accepts a
	// connection, then closes it without an answer. Here a stand-in plays that process.
	const state = world.state()!;
	rmSync(state.socket, {force: true});
	const dying = world.spawn(process.execPath, [
		'-e',
		"require('node:net').createServer(connection => { connection.destroy(); process.exit(0); })" +
			`.listen(${JSON.stringify(state.socket)}, () => console.log('listening'));`,
	]);
	await new Promise(resolve => dying.stdout!.once('data', resolve));
	writeFileSync(world.stateFile(), JSON.stringify({...state, pid: dying.pid, startTime: processStartTime(dying.pid!)}));
	const standIn = Date.now();

	// The bridge's replayed initialize goes unanswered there: it moves on to a daemon that answers.
	expect((await client.listTools()).tools.map(tool => tool.name)).toContain('everything__echo');
	// Time enough to start a daemon and its servers on a loaded machine, not to wait out a timeout first.
	expect(Date.now() - standIn).toBeLessThan(15_000);
	expect(await echo(client, 'after')).toEqual([{type: 'text', text: 'Echo: after'}]);
	expect(dying.exitCode).toBe(0);
	expect(world.state()!.pid).not.toBe(dying.pid);
});

it('ends the servers a killed daemon left running once the next daemon starts', async () => {
	world = lifecycleWorld();
	// Ignores SIGTERM and the end of its stdin, and has a child of its own: it would outlive its daemon.
	const stubborn =
		`process.on('SIGTERM', () => {});
		require('node:child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1e9)"], ` +
		`{stdio: 'ignore'});
		setInterval(() => {}, 1e9);`;
	world.writeConfig({mcpServers: {stubborn: {command: process.execPath, args: ['-e', stubborn]}}});
	expect((await runCli(world, ['daemon', 'start', '--no-wait'])).code).toBe(0);
	const before = await eventually(
		() => processesOfWorld(world).length === 3 && processesOfWorld(world),
		10_000,
		'the daemon, the server and its child',
	);

	const old = await killDaemon();
	const left = before.filter(pid => pid !== old.pid);
	expect(left.every(isAlive)).toBe(true);

	expect((await runCli(world, ['daemon', 'start', '--no-wait'])).code).toBe(0);
	await eventually(() => left.every(pid => !isAlive(pid)), 10_000, 'the orphaned server and its child ended');
	await eventually(() => processesOfWorld(world).length === 3, 10_000, 'the new daemon with a new server and child');
	expect(readFileSync(world.logFile, 'utf8')).toContain(`ended servers a killed daemon had left running pids=${old.upstreams[0]}`);
});
