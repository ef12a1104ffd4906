import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {afterEach, describe, expect, it} from 'vitest';
import {eventually, isAlive, servers, waitForPidExit, type World} from './support/daemon.js';
import {
	bridgeClient,
	bridgePid,
	hook,
	idleProcess,
	lifecycleWorld,
	processesOfWorld,
	registrationFiles,
	reportedPid,
	statusOf,
} from './support/lifecycle.js';

// Who keeps the daemon up: Claude Code sessions, registered by the plugin's hooks, and bridges
// connected to it. Once none is left for the linger period, it stops.

const LINGER_S = 2;

let world: World;

afterEach(async () => world.dispose());

function newWorld(): World {
	world = lifecycleWorld({MCPPROXY_LINGER: String(LINGER_S)});
	world.writeConfig({
		mcpServers: {everything: servers.everything(), memory: servers.memory(join(world.root, 'memory.jsonl'))},
	});
	return world;
}

/**
 * Waits out the linger period and a check of the daemon's beyond it. Here nothing can be polled
 * for: what is checked is that the daemon does *not* stop.
 */
async function pastTheLinger(): Promise<void> {
	await sleep(LINGER_S * 1000 + 1500);
}

/**
 * Waits for the daemon to stop by itself, and checks that it lingered first. `leaving` is taken
 * just before the last user starts to leave: a loaded machine can only delay what the test sees
 * after it, never make the daemon's stop look early. (File times lag the clock by a tick: 50 ms.)
 */
async function stopsAfterLinger(pid: number, leaving: number): Promise<void> {
	expect(await waitForPidExit(pid, LINGER_S * 1000 + 8000)).toBe(true);
	expect(Date.now() - leaving).toBeGreaterThanOrEqual(LINGER_S * 1000 - 50);
}

/** After a stop: no daemon, no server, no pid or state file of this world. */
function expectNothingLeft(upstreams: number[], except: number[] = []): void {
	expect(upstreams.filter(isAlive)).toEqual([]);
	expect(processesOfWorld(world).filter(pid => !except.includes(pid))).toEqual([]);
	expect(existsSync(join(world.root, 'run', 'mcp-proxy-mcp-user.pid'))).toBe(false);
	expect(world.state()).toBeUndefined();
}

async function upstreamPids(): Promise<number[]> {
	const status = await eventually(
		async () => {
			const current = await statusOf(world);
			return current.servers.length === 2 && current.servers.every(server => server.state === 'ready') && current;
		},
		20_000,
		'both servers ready',
	);
	return status.servers.map(server => server.pid!);
}

describe('Claude Code sessions, through the SessionStart and SessionEnd hooks', () => {
	it('starts the daemon for the first session, reuses it for the next, and stops it a linger after the last ends', async () => {
		newWorld();
		const claudeA = idleProcess(world);
		const claudeB = idleProcess(world);

		const first = await hook(world, 'session-start', claudeA, {session_id: 'a-1', source: 'startup'});
		expect(first.code, first.stderr).toBe(0);
		expect(first.stdout).toMatch(/^mcp-tooling: shared MCP proxy daemon "mcp-user" started \(pid \d+\)/);
		expect(first.stdout).toContain('everything');
		const pid = reportedPid(first);

		const second = await hook(world, 'session-start', claudeB, {session_id: 'b-1', source: 'startup'});
		expect(second.stdout).toContain(`"mcp-user" running (pid ${pid})`);
		const status = await statusOf(world);
		expect(status.sessions).toBe(2);
		expect(status.registrations.map(({clientPid, sessionIds}) => ({clientPid, sessionIds}))).toEqual(
			[
				{clientPid: claudeA.pid, sessionIds: ['a-1']},
				{clientPid: claudeB.pid, sessionIds: ['b-1']},
			].sort((a, b) => a.clientPid - b.clientPid),
		);
		const upstreams = await upstreamPids();

		expect(await hook(world, 'session-end', claudeA, {session_id: 'a-1', reason: 'prompt_input_exit'})).toMatchObject({
			code: 0,
			stderr: '',
		});
		expect(registrationFiles(world)).toHaveLength(1);
		expect((await statusOf(world)).sessions).toBe(1);
		await pastTheLinger();
		expect(isAlive(pid)).toBe(true);

		const leaving = Date.now();
		expect(await hook(world, 'session-end', claudeB, {session_id: 'b-1', reason: 'other'})).toMatchObject({
			code: 0,
			stderr: '',
		});
		await stopsAfterLinger(pid, leaving);
		expectNothingLeft(upstreams, [claudeA.pid, claudeB.pid]);
	});

	it('survives /clear: SessionEnd (reason clear) then SessionStart (source clear) in the same Claude process', async () => {
		newWorld();
		const claude = idleProcess(world);
		const pid = reportedPid(await hook(world, 'session-start', claude, {session_id: 'before-clear', source: 'startup'}));

		// The Claude process goes on with a new session: it is never left without one, whatever the
		// time between the two hooks on a busy machine.
		await hook(world, 'session-end', claude, {session_id: 'before-clear', reason: 'clear'});
		expect(registrationFiles(world)).toHaveLength(1);
		const again = await hook(world, 'session-start', claude, {session_id: 'after-clear', source: 'clear'});
		expect(again.stdout).toContain(`"mcp-user" running (pid ${pid})`);
		expect(registrationFiles(world)).toHaveLength(1);

		await pastTheLinger();
		expect(isAlive(pid)).toBe(true);
		expect(await statusOf(world)).toMatchObject({
			sessions: 1,
			registrations: [{clientPid: claude.pid, sessionIds: ['after-clear']}],
		});

		// The session /clear started is the one whose end lets the daemon go.
		const leaving = Date.now();
		await hook(world, 'session-end', claude, {session_id: 'after-clear', reason: 'prompt_input_exit'});
		await stopsAfterLinger(pid, leaving);
	});

	it('collects the registration of a Claude killed with SIGKILL (no SessionEnd), then stops', async () => {
		newWorld();
		const claude = idleProcess(world);
		const pid = reportedPid(await hook(world, 'session-start', claude, {session_id: 'killed', source: 'startup'}));
		const upstreams = await upstreamPids();
		expect(registrationFiles(world)).toHaveLength(1);

		const killedAt = Date.now();
		claude.kill('SIGKILL');
		expect(await waitForPidExit(claude.pid, 5000)).toBe(true);
		// Nothing but the daemon looks at the registrations now: it is the daemon that collects them.
		await eventually(() => registrationFiles(world).length === 0, 5000, 'the dead session collected');
		await stopsAfterLinger(pid, killedAt);
		expectNothingLeft(upstreams);
	});
});

describe('bridges', () => {
	it('keep the daemon up while connected, without any registration, and let it go once they exit', async () => {
		newWorld();
		const client = await bridgeClient(world);
		const bridge = bridgePid(client);
		const pid = world.state()!.pid;
		expect(registrationFiles(world)).toEqual([]);
		await eventually(async () => (await statusOf(world)).sessions === 1, 5000, 'the bridge counted as a session');

		await pastTheLinger();
		expect(isAlive(pid)).toBe(true);
		expect((await client.callTool({name: 'everything__echo', arguments: {message: 'still here'}})).content).toEqual([
			{type: 'text', text: 'Echo: still here'},
		]);
		const upstreams = await upstreamPids();

		const leaving = Date.now();
		await client.close();
		expect(await waitForPidExit(bridge, 5000)).toBe(true);
		await stopsAfterLinger(pid, leaving);
		expectNothingLeft(upstreams);
	});
});
