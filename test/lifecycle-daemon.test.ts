import {
	appendFileSync,
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	readlinkSync,
	statSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {afterEach, describe, expect, it} from 'vitest';
import {rotateLog, rotateLogs} from '../src/lifecycle/log-file.js';
import {connect} from './support/client.js';
import {CLI, eventually, isAlive, servers, terminalCommand, waitForPidExit, type World} from './support/daemon.js';
import {
	daemonsOfWorld,
	finished,
	idleProcess,
	lifecycleWorld,
	processesOfWorld,
	reportedPid,
	runCli,
	statusOf,
	type Outcome,
	type StatusJson,
} from './support/lifecycle.js';

// The daemon's life as the CLI drives it: `mcp-tooling daemon start | stop | restart | status | logs`.

let world: World;

afterEach(async () => world.dispose());

function newWorld(env: NodeJS.ProcessEnv = {}): World {
	world = lifecycleWorld(env);
	return world;
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
	return runCli(world, args, env);
}

async function status(): Promise<StatusJson> {
	return statusOf(world);
}

/** Fields 3 onwards of /proc/PID/stat: state, ppid, pgrp, session, … */
function statOf(pid: number): string[] {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function parentOf(pid: number): number {
	return Number(statOf(pid)[1]);
}

function sessionOf(pid: number): number {
	return Number(statOf(pid)[3]);
}

function pidFile(): string {
	return join(world.root, 'run', 'mcp-proxy-mcp-user.pid');
}

function lockFile(): string {
	return join(world.root, 'run', 'mcp-proxy-mcp-user.lock');
}

/** Leaves `text` as the pid file, as a crashed daemon or an older version would have. */
function writePidFile(text: string): void {
	mkdirSync(join(world.root, 'run'), {recursive: true, mode: 0o700});
	writeFileSync(pidFile(), text);
}

async function allReady(): Promise<StatusJson> {
	return eventually(
		async () => {
			const current = await status();
			return current.servers.length > 0 && current.servers.every(server => server.state === 'ready') && current;
		},
		20_000,
		'every server ready',
	);
}

describe('daemon start', () => {
	it('gives ten racing starters one daemon, and each returns only once it answers', async () => {
		newWorld();
		const starters = Array.from({length: 10}, () => world.spawn(process.execPath, [CLI, 'daemon', 'start']));
		const outcomes = await Promise.all(
			starters.map(async starter => {
				const outcome = await finished(starter);
				// The moment a starter is done, the daemon it reports must answer.
				const state = world.state()!;
				const answer = await fetch(new URL('/status', state.url), {
					headers: {authorization: `Bearer ${world.token()}`},
				});
				return {...outcome, answered: answer.status};
			}),
		);

		for (const outcome of outcomes) {
			expect(outcome, outcome.stderr).toMatchObject({code: 0, answered: 200});
		}

		const pids = new Set(outcomes.map(reportedPid));
		expect(pids.size).toBe(1);
		const [pid] = pids;
		expect(world.state()!.pid).toBe(pid);
		expect(daemonsOfWorld(world)).toEqual([pid]);
		expect(outcomes.filter(outcome => outcome.stdout.includes('" started:'))).toHaveLength(1);
		expect(outcomes.filter(outcome => outcome.stdout.includes('already running'))).toHaveLength(9);
		expect(readFileSync(world.logFile, 'utf8').match(/ INFO {2}daemon listening /g)).toHaveLength(1);
	});

	it('detaches the daemon into its own session, with its output going to the log', async () => {
		newWorld();
		const starter = await cli(['daemon', 'start']);
		const pid = reportedPid(starter);
		// The starter has exited; the daemon lives on, leading a session of its own (setsid), so a
		// hangup or the end of the terminal that started it does not reach it.
		expect(isAlive(pid)).toBe(true);
		expect(sessionOf(pid)).toBe(pid);
		expect(readlinkSync(`/proc/${pid}/fd/0`)).toBe('/dev/null');
		expect(readlinkSync(`/proc/${pid}/fd/1`)).toBe(world.logFile);
		expect(readlinkSync(`/proc/${pid}/fd/2`)).toBe(world.logFile);
	});

	it('picks a free port with MCPPROXY_PORT=0 and records it where bridges and hooks read it', async () => {
		newWorld({MCPPROXY_PORT: '0'});
		const starter = await cli(['daemon', 'start']);
		expect(starter.code).toBe(0);
		const state = world.state()!;
		expect(state.port).toBeGreaterThan(0);
		expect(state.url).toBe(`http://127.0.0.1:${state.port}/mcp`);
		expect(starter.stdout).toContain(state.url);
		const answer = await fetch(`http://127.0.0.1:${state.port}/status`, {
			headers: {authorization: `Bearer ${world.token()}`},
		});
		expect(answer.status).toBe(200);
		expect((await status()).port).toBe(state.port);
	});

	it('refuses to run a second daemon of the same name beside a running one, and leaves the first its socket', async () => {
		newWorld({MCPPROXY_PORT: '0'});
		expect((await cli(['daemon', 'start'])).code).toBe(0);
		const first = world.state()!;
		const socket = statSync(first.socket).ino;

		const second = await cli(['daemon', 'run']);
		expect(second.code).not.toBe(0);
		expect(second.stderr).toContain(`mcp-tooling daemon "mcp-user" is already running (pid ${first.pid})`);
		expect(second.stderr).toContain(terminalCommand('daemon stop'));
		expect(daemonsOfWorld(world)).toEqual([first.pid]);
		expect(world.state()).toEqual(first);
		expect(statSync(first.socket).ino).toBe(socket);
		expect((await status()).running).toBe(true);
	});

	it('refuses a port held by another program, saying so and how to pick another', async () => {
		const foreign: Server = createServer(socket => socket.end());
		await new Promise<void>(resolve => foreign.listen(0, '127.0.0.1', resolve));
		try {
			const {port} = foreign.address() as {port: number};
			newWorld({MCPPROXY_PORT: String(port)});
			const starter = await cli(['daemon', 'start']);
			expect(starter.code).not.toBe(0);
			expect(starter.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use by another program`);
			expect(starter.stderr).toContain('MCPPROXY_PORT=0');
			expect(starter.stdout).toBe('');
			expect(daemonsOfWorld(world)).toEqual([]);
			expect(existsSync(pidFile())).toBe(false);
			expect(world.state()).toBeUndefined();
		} finally {
			foreign.close();
		}
	});
});

describe('pid files that cannot lie', () => {
	it('treats a pid file naming a live unrelated process as stale, and never signals that process', async () => {
		newWorld();
		const unrelated = idleProcess(world);
		writePidFile(`${JSON.stringify({pid: unrelated.pid, startTime: '1', name: 'mcp-user'})}\n`);

		// Neither status nor stop takes it for a daemon: stop is the command that would signal it.
		expect(await status()).toMatchObject({running: false, pid: null});
		expect((await cli(['daemon', 'stop'])).stdout).toContain('is not running');

		writePidFile(`${JSON.stringify({pid: unrelated.pid, startTime: '1', name: 'mcp-user'})}\n`);
		const starter = await cli(['daemon', 'start']);
		expect(starter.code, starter.stderr).toBe(0);
		expect(starter.stdout).toContain('" started:');
		const pid = reportedPid(starter);
		expect(pid).not.toBe(unrelated.pid);
		expect(JSON.parse(readFileSync(pidFile(), 'utf8'))).toMatchObject({pid});
		expect(unrelated.exitCode).toBeNull();
		expect(unrelated.signalCode).toBeNull();
		expect(isAlive(unrelated.pid)).toBe(true);
	});

	it('treats a legacy bare-number pid file of an unrelated process as stale', async () => {
		newWorld();
		const unrelated = idleProcess(world);
		writePidFile(`${unrelated.pid}\n`);

		expect((await cli(['daemon', 'stop'])).stdout).toContain('is not running');
		writePidFile(`${unrelated.pid}\n`);
		const starter = await cli(['daemon', 'start']);
		expect(starter.code, starter.stderr).toBe(0);
		expect(reportedPid(starter)).not.toBe(unrelated.pid);
		expect(isAlive(unrelated.pid)).toBe(true);
		expect(unrelated.signalCode).toBeNull();
	});

	it('treats a legacy pid file naming a live mcp-tooling process that is not a daemon (a bridge, a hook) as stale', async () => {
		newWorld();
		// What a pid may be recycled to: the plugin's own processes carry its path in their command line.
		const bridge = world.spawn(process.execPath, [
			'-e',
			'setInterval(() => {}, 1e9)',
			'/home/me/.claude/plugins/cache/mcp-tooling/0.1.0/dist/bridge.js',
		]);
		const hookProcess = world.spawn(process.execPath, [
			'-e',
			'setInterval(() => {}, 1e9)',
			'/opt/mcp-tooling/dist/cli.js',
			'hook',
			'session-start',
		]);
		for (const stranger of [bridge, hookProcess]) {
			await eventually(() => readFileSync(`/proc/${stranger.pid}/cmdline`, 'utf8').includes('mcp-tooling'), 5000, 'the stand-in running');
			writePidFile(`${stranger.pid}\n`);
			expect(await status()).toMatchObject({running: false, pid: null});
			expect((await cli(['daemon', 'stop'])).stdout).toContain('is not running');
			expect(isAlive(stranger.pid!)).toBe(true);
			expect(stranger.signalCode).toBeNull();
		}
	});
});

describe('a daemon that is alive but slow to answer', () => {
	it('is waited for, not joined by a second daemon', async () => {
		newWorld();
		const pid = reportedPid(await cli(['daemon', 'start']));
		// Stopped, it answers nothing, as if its event loop were blocked for a while.
		process.kill(pid, 'SIGSTOP');
		try {
			const starter = world.spawn(process.execPath, [CLI, 'daemon', 'start']);
			const outcome = finished(starter);
			// Once the starter holds the start lock it has found the daemon silent; a starter that gave
			// up on a silent daemon would start another one within its one-second probes.
			await eventually(
				() => existsSync(lockFile()) && readFileSync(lockFile(), 'utf8').includes(`"pid":${starter.pid}`),
				15_000,
				'the starter holding the lock',
			);
			await sleep(2500);
			expect(daemonsOfWorld(world)).toEqual([pid]);
			process.kill(pid, 'SIGCONT');
			const result = await outcome;
			expect(result.code, result.stderr).toBe(0);
			expect(result.stdout).toContain(`already running: pid ${pid}`);
			expect(daemonsOfWorld(world)).toEqual([pid]);
		} finally {
			process.kill(pid, 'SIGCONT');
		}
	});
});

describe('daemon status --json', () => {
	it('reports the contract fields with their true values', async () => {
		newWorld();
		world.writeConfig({
			mcpServers: {
				everything: servers.everything(),
				memory: servers.memory(join(world.root, 'memory.jsonl')),
				remote: {type: 'http', url: 'http://127.0.0.1:9/mcp'},
			},
		});

		const stopped = await status();
		expect(stopped).toMatchObject({running: false, pid: null, port: null, url: null, sessions: 0, servers: []});
		expect(stopped.tokenFile).toBe(join(world.root, 'run', 'mcp-proxy-mcp-user.token'));

		const pid = reportedPid(await cli(['daemon', 'start']));
		const current = await eventually(
			async () => {
				const now = await status();
				return now.servers.filter(server => server.state === 'ready').length === 2 && now;
			},
			20_000,
			'everything and memory ready',
		);
		const state = world.state()!;
		expect(current).toMatchObject({
			running: true,
			pid,
			port: state.port,
			url: `http://127.0.0.1:${state.port}/mcp`,
			sessions: 0,
		});
		// Only its owner may read the token, and it is the one the endpoint takes.
		expect(current.tokenFile).toBe(join(world.root, 'run', 'mcp-proxy-mcp-user.token'));
		expect(statSync(current.tokenFile).mode & 0o777).toBe(0o600);
		expect(readFileSync(current.tokenFile, 'utf8').trim()).toBe(world.token());

		expect(current.servers.map(server => server.name).sort()).toEqual(['everything', 'memory', 'remote']);
		for (const server of current.servers) {
			expect(Object.keys(server)).toEqual(expect.arrayContaining(['name', 'state', 'pid', 'tools']));
		}

		// A stdio server's pid is the daemon's child; an http server has none.
		for (const name of ['everything', 'memory']) {
			const server = current.servers.find(entry => entry.name === name)!;
			expect(server.pid).toEqual(expect.any(Number));
			expect(parentOf(server.pid!)).toBe(pid);
			expect(server.tools).toBeGreaterThan(0);
		}

		expect(current.servers.find(server => server.name === 'remote')).toMatchObject({pid: null, tools: 0});
		// The counts add up to the servers' tools a session lists: namespaced `server__tool` (the
		// server part shortened where the name would not fit Claude's limit), beside the proxy's own.
		const client = await connect(state, world.token());
		const {tools} = await client.listTools();
		expect(tools.filter(tool => tool.name.includes('__'))).toHaveLength(current.servers.reduce((sum, server) => sum + server.tools, 0));

		// A session counts while its client is connected, and no longer once it has ended it...
		await eventually(async () => (await status()).sessions === 1, 10_000, 'the session counted');
		await (client.transport as StreamableHTTPClientTransport).terminateSession();
		await client.close();
		expect((await status()).sessions).toBe(0);

		// ...or left without ending it (SDK clients send no DELETE): the daemon keeps such a session
		// until it expires, but nobody is using it.
		const leaving = await connect(state, world.token());
		await eventually(async () => (await status()).sessions === 1, 10_000, 'the second session counted');
		await leaving.close();
		await eventually(async () => (await status()).sessions === 0, 10_000, 'the departed session no longer counted');
	});
});

describe('daemon stop and restart', () => {
	it('stops the daemon and every server it ran, leaving no process and no pid or state file', async () => {
		newWorld();
		world.writeConfig({
			mcpServers: {everything: servers.everything(), memory: servers.memory(join(world.root, 'memory.jsonl'))},
		});
		const pid = reportedPid(await cli(['daemon', 'start']));
		const upstreams = (await allReady()).servers.map(server => server.pid!);
		expect(upstreams).toHaveLength(2);
		expect(upstreams.every(isAlive)).toBe(true);

		const stop = await cli(['daemon', 'stop']);
		expect(stop).toMatchObject({code: 0, stdout: `mcp-tooling daemon "mcp-user" (pid ${pid}) stopped.\n`});
		expect(isAlive(pid)).toBe(false);
		expect(upstreams.filter(isAlive)).toEqual([]);
		expect(processesOfWorld(world)).toEqual([]);
		expect(existsSync(pidFile())).toBe(false);
		expect(world.state()).toBeUndefined();
		expect(await status()).toMatchObject({running: false, pid: null});

		expect((await cli(['daemon', 'stop'])).stdout).toBe('mcp-tooling daemon "mcp-user" is not running.\n');
	});

	it('kills a server that ignores SIGTERM after a grace, together with what it spawned', async () => {
		newWorld();
		// Ignores SIGTERM and stdin's end, and has a child of its own, as an `npx` wrapper does.
		const stubborn =
			`process.on('SIGTERM', () => {});
			require('node:child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1e9)"], ` +
			`{stdio: 'ignore'});
			setInterval(() => {}, 1e9);`;
		world.writeConfig({mcpServers: {stubborn: {command: process.execPath, args: ['-e', stubborn]}}});
		// --no-wait: this server never answers, and waiting for it to fail is not what this test is about.
		const pid = reportedPid(await cli(['daemon', 'start', '--no-wait']));
		const server = await eventually(async () => (await status()).servers[0]?.pid ?? undefined, 10_000, 'the server spawned');
		await eventually(() => processesOfWorld(world).length === 3, 10_000, 'the daemon, the server and its child');

		const stop = await cli(['daemon', 'stop']);
		expect(stop).toMatchObject({code: 0, stdout: `mcp-tooling daemon "mcp-user" (pid ${pid}) stopped.\n`});
		expect(isAlive(server)).toBe(false);
		// The server's child was killed with its group; the kernel may take a moment to end it.
		await eventually(() => processesOfWorld(world).length === 0, 5000, "the server's child gone too");
		expect(existsSync(pidFile())).toBe(false);
	});

	it('restarts into a new daemon, and the old one is gone', async () => {
		newWorld();
		const first = reportedPid(await cli(['daemon', 'start']));
		const restart = await cli(['daemon', 'restart']);
		expect(restart.code, restart.stderr).toBe(0);
		const second = reportedPid(restart);
		expect(second).not.toBe(first);
		expect(isAlive(first)).toBe(false);
		expect(daemonsOfWorld(world)).toEqual([second]);
	});
});

describe('daemon logs', () => {
	it('prints the last lines of the log, and with -f the new ones as they come', async () => {
		newWorld();
		const pid = reportedPid(await cli(['daemon', 'start']));
		const logs = await cli(['daemon', 'logs']);
		expect(logs.code).toBe(0);
		expect(logs.stdout).toContain(`INFO  daemon listening url=http://127.0.0.1:${world.state()!.port}/mcp pid=${pid}`);
		const last = (await cli(['daemon', 'logs', '-n', '1'])).stdout.trimEnd().split('\n');
		expect(last).toHaveLength(1);
		expect(readFileSync(world.logFile, 'utf8').split('\n')).toContain(last[0]);

		const follower = world.spawn(process.execPath, [CLI, 'daemon', 'logs', '-f']);
		let followed = '';
		follower.stdout!.on('data', chunk => (followed += String(chunk)));
		await eventually(() => followed.includes(' listening '), 10_000, 'the existing lines');
		await cli(['daemon', 'stop']);
		await eventually(() => followed.includes(' daemon stopped'), 10_000, 'the lines the stopping daemon wrote');
		follower.kill('SIGTERM');
		await waitForPidExit(follower.pid!, 5000);
	});

	it('says where the log would be when there is none yet, and fails', async () => {
		newWorld();
		const logs = await cli(['daemon', 'logs']);
		expect(logs.code).toBe(1);
		expect(logs.stderr).toContain(world.logFile);
	});

	it('caps the log: past the limit it moves to .1 and writers go on at the start of the emptied file', () => {
		newWorld();
		const file = join(world.root, 'rotating.log');
		// The daemon's descriptor, opened for appending as `daemon start` opens it.
		const fd = openSync(file, 'a');
		try {
			writeSync(fd, 'old line\n'.repeat(20));
			expect(rotateLog(file, 1000)).toBe(false);
			writeSync(fd, 'old line\n'.repeat(200));
			expect(rotateLog(file, 1000)).toBe(true);
			writeSync(fd, 'new line\n');
		} finally {
			closeSync(fd);
		}

		expect(readFileSync(file, 'utf8')).toBe('new line\n');
		expect(readFileSync(`${file}.1`, 'utf8')).toBe('old line\n'.repeat(220));
		appendFileSync(file, 'x');
		expect(rotateLog(file, 1000)).toBe(false);
	});

	it("caps each server's log as well, and a log that cannot be rotated stops neither the others nor the rotation (it never throws)", () => {
		newWorld();
		const serverLogs = join(world.root, 'servers');
		mkdirSync(serverLogs, {recursive: true});
		const big = 'line\n'.repeat(300);
		writeFileSync(join(serverLogs, 'chatty.log'), big);
		writeFileSync(join(serverLogs, 'quiet.log'), 'one line\n');
		writeFileSync(join(serverLogs, 'stuck.log'), big);
		// Its rotated copy cannot be written: a directory is in the way.
		mkdirSync(join(serverLogs, 'stuck.log.1'));
		writeFileSync(join(serverLogs, 'notes.txt'), big);

		expect(() => rotateLogs(join(world.root, 'absent.log'), serverLogs, 1000)).not.toThrow();
		expect(readFileSync(join(serverLogs, 'chatty.log'), 'utf8')).toBe('');
		expect(readFileSync(join(serverLogs, 'chatty.log.1'), 'utf8')).toBe(big);
		expect(readFileSync(join(serverLogs, 'quiet.log'), 'utf8')).toBe('one line\n');
		expect(readFileSync(join(serverLogs, 'stuck.log'), 'utf8')).toBe(big);
		expect(readFileSync(join(serverLogs, 'notes.txt'), 'utf8')).toBe(big);
		expect(() => rotateLogs(world.logFile, join(world.root, 'no-such-dir'), 1000)).not.toThrow();
	});
});
