import {spawn, spawnSync} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {buildSync} from 'esbuild';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {removeIfUnchanged} from '../src/shared/atomic-file.js';
import {withLock} from '../src/lifecycle/lock.js';
import {daemonProcess, readPidFile, removePidFileIfOwned, writePidFile} from '../src/lifecycle/pid-file.js';
import {
	currentIdentity,
	isPidAlive,
	isSameProcessAlive,
	processCommandLine,
	processStartTime,
	processTableName,
} from '../src/platform/os-processes.js';
import {Refcount} from '../src/lifecycle/refcount.js';
import {liveRegistrations, register, unregister} from '../src/lifecycle/registrations.js';

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'mcp-lifecycle-'));
});

afterEach(async () => {
	for (const child of children.splice(0)) {
		if (child.exitCode !== null || child.signalCode !== null) continue;
		const exited = new Promise(done => child.once('exit', done));
		if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
		await exited;
	}
	rmSync(dir, {recursive: true, force: true});
});

/** Starts `node` with `script`; resolves once it printed its first line (so it has run that far). */
async function startNode(script: string, args: string[] = []): Promise<ChildProcess & {pid: number}> {
	const child = spawn(process.execPath, ['-e', `${script}; console.log('ready')`, ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	children.push(child);
	await new Promise<void>((done, fail) => {
		child.once('error', fail);
		child.stdout?.once('data', () => done());
	});
	if (child.pid === undefined) throw new Error('child has no pid');
	return child as ChildProcess & {pid: number};
}

const SLEEPER = 'setInterval(() => {}, 1e6)';

async function killAndWait(child: ChildProcess & {pid: number}): Promise<void> {
	const exited = new Promise(done => child.once('exit', done));
	process.kill(child.pid, 'SIGKILL');
	await exited;
}

function expectUntouched(child: ChildProcess & {pid: number}): void {
	expect(child.exitCode).toBeNull();
	expect(child.signalCode).toBeNull();
	expect(isPidAlive(child.pid)).toBe(true);
}

/** A pid that cannot exist: Linux caps pid_max at 2^22, macOS at 99999. */
const IMPOSSIBLE_PID = 2 ** 22 + 1;

/** What the chosen backend's start times look like: clock ticks from /proc, or `ps:` + second + command. */
const START_TIME = processTableName() === 'proc' ? /^\d+$/ : /^ps:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \S/;

/** The process's state letter, as `ps` shows it on either system (the test's own view, not the module's). */
function psState(pid: number): string {
	return spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], {encoding: 'utf8'}).stdout.trim();
}

describe(`process identity (${processTableName()} backend)`, () => {
	it('reads the start time of itself and of a child', async () => {
		const self = currentIdentity();
		expect(self.pid).toBe(process.pid);
		expect(self.startTime).toMatch(START_TIME);
		expect(processStartTime(process.pid)).toBe(self.startTime);
		expect(isSameProcessAlive(self)).toBe(true);

		const child = await startNode(SLEEPER);
		const childStart = processStartTime(child.pid);
		expect(childStart).toMatch(START_TIME);
		expect(childStart).not.toBe(self.startTime);
		expect(isSameProcessAlive({pid: child.pid, startTime: childStart ?? ''})).toBe(true);

		await killAndWait(child);
		expect(processStartTime(child.pid)).toBeUndefined();
		expect(isPidAlive(child.pid)).toBe(false);
		expect(isSameProcessAlive({pid: child.pid, startTime: childStart ?? ''})).toBe(false);
		expect(processStartTime(IMPOSSIBLE_PID)).toBeUndefined();
		expect(isPidAlive(IMPOSSIBLE_PID)).toBe(false);
	});

	it('reads a command line holding spaces and parentheses', async () => {
		const child = await startNode(`process.title = 'a) b (c) d'; ${SLEEPER}`);
		expect(processCommandLine(child.pid)).toBe('a) b (c) d');
		const startTime = processStartTime(child.pid);
		expect(startTime).toMatch(START_TIME);
		expect(isSameProcessAlive({pid: child.pid, startTime: startTime ?? ''})).toBe(true);
	});

	it('treats a recycled pid (live process, other start time) as not ours', async () => {
		const child = await startNode(SLEEPER);
		const startTime = processStartTime(child.pid)!;
		expect(isSameProcessAlive({pid: child.pid, startTime: '1'})).toBe(false);
		if (startTime.startsWith('ps:')) {
			// Another command started in the same second under the same pid: the second alone cannot tell it.
			const sameSecond = startTime.slice(0, startTime.indexOf(' '));
			expect(isSameProcessAlive({pid: child.pid, startTime: `${sameSecond} some other command`})).toBe(false);
		}
		expect(isPidAlive(child.pid)).toBe(true);
	});

	it('treats a zombie as dead', async () => {
		// The shell starts a child that exits on a byte from the test, then becomes `sleep`, which never reaps it.
		// The byte is sent only once the shell is `sleep`: a child that ended earlier would be reaped by the shell.
		const script = 'exec 3<&0; head -c 1 <&3 >/dev/null & echo $!; exec sleep 1000';
		const parent = spawn('sh', ['-c', script], {stdio: ['pipe', 'pipe', 'inherit']});
		children.push(parent);
		const zombie = await new Promise<number>(done => parent.stdout.once('data', (data: Buffer) => done(Number(String(data).trim()))));
		const command = () => spawnSync('ps', ['-o', 'comm=', '-p', String(parent.pid)], {encoding: 'utf8'}).stdout.trim();
		for (let i = 0; i < 500 && command() !== 'sleep'; i++) await sleep(10);
		parent.stdin.write('x');
		const isZombie = () => psState(zombie).startsWith('Z');
		for (let i = 0; i < 500 && !isZombie(); i++) await sleep(10);
		expect(isZombie()).toBe(true);
		expect(isPidAlive(zombie)).toBe(false);
		expect(processStartTime(zombie)).toBeUndefined();
	});
});

describe('pid file', () => {
	it('writes, reads and recognises the live daemon; removes only its own file', () => {
		const path = join(dir, 'run', 'mcp-proxy-mcp-user.pid');
		const record = {...currentIdentity(), name: 'mcp-user', version: '1.2.3'};
		writePidFile(path, record);
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(readPidFile(path)).toEqual(record);
		expect(daemonProcess(path)).toEqual(record);

		expect(removePidFileIfOwned(path, {pid: process.pid, startTime: '1'})).toBe(false);
		expect(existsSync(path)).toBe(true);
		expect(removePidFileIfOwned(path, currentIdentity())).toBe(true);
		expect(existsSync(path)).toBe(false);
		expect(daemonProcess(path)).toBeUndefined();
	});

	it('deems a recycled pid stale and removes the file without signalling the process', async () => {
		const stranger = await startNode(SLEEPER);
		const path = join(dir, 'mcp-proxy-mcp-user.pid');
		writePidFile(path, {pid: stranger.pid, startTime: '1', name: 'mcp-user'});
		expect(daemonProcess(path)).toBeUndefined();
		expect(existsSync(path)).toBe(false);
		await sleep(100); // a signal, had one been sent, would have landed by now
		expectUntouched(stranger);
	});

	it('deems the file of an exited daemon stale', async () => {
		const daemon = await startNode(SLEEPER);
		const path = join(dir, 'mcp-proxy-mcp-user.pid');
		writePidFile(path, {pid: daemon.pid, startTime: processStartTime(daemon.pid) ?? '', name: 'mcp-user'});
		expect(daemonProcess(path)?.pid).toBe(daemon.pid);
		await killAndWait(daemon);
		expect(daemonProcess(path)).toBeUndefined();
		expect(existsSync(path)).toBe(false);
	});

	it('adopts a legacy bare pid only if the live process looks like ours', async () => {
		const ours = await startNode(SLEEPER, ['daemon', 'run', 'mcp-tooling']);
		const path = join(dir, 'mcp-proxy-mcp-user.pid');
		writeFileSync(path, `${ours.pid}\n`);
		const adopted = daemonProcess(path);
		expect(adopted).toEqual({pid: ours.pid, startTime: processStartTime(ours.pid), name: 'mcp-user'});
		expect(existsSync(path)).toBe(true);

		const stranger = await startNode(SLEEPER);
		writeFileSync(path, `${stranger.pid}\n`);
		expect(readPidFile(path)).toBeUndefined();
		expect(daemonProcess(path)).toBeUndefined();
		expect(existsSync(path)).toBe(false);
		expectUntouched(stranger);

		writeFileSync(path, `${IMPOSSIBLE_PID}`);
		expect(daemonProcess(path)).toBeUndefined();
		expect(existsSync(path)).toBe(false);
	});

	it('removes a corrupt pid file', () => {
		const path = join(dir, 'mcp-proxy-mcp-user.pid');
		writeFileSync(path, '{"pid": "nope"');
		expect(readPidFile(path)).toBeUndefined();
		expect(daemonProcess(path)).toBeUndefined();
		expect(existsSync(path)).toBe(false);
	});

	it('never removes a file that changed since it was judged stale', () => {
		const path = join(dir, 'file');
		writeFileSync(path, 'fresh');
		expect(removeIfUnchanged(path, 'stale')).toBe(false);
		expect(readFileSync(path, 'utf8')).toBe('fresh');
		expect(readdirSync(dir)).toEqual(['file']);
		expect(removeIfUnchanged(path, 'fresh')).toBe(true);
		expect(readdirSync(dir)).toEqual([]);
	});
});

describe('lock', () => {
	it('serialises concurrent holders in one process and releases on error', async () => {
		const lockFile = join(dir, 'run', 'd.lock');
		let inside = 0;
		let maxInside = 0;
		const order: number[] = [];
		await Promise.all(
			Array.from({length: 10}, (_, i) =>
				withLock(
					lockFile,
					async () => {
						inside++;
						maxInside = Math.max(maxInside, inside);
						await sleep(5);
						order.push(i);
						inside--;
					},
					{pollMs: 2},
				),
			),
		);
		expect(maxInside).toBe(1);
		expect(order).toHaveLength(10);
		await expect(
			withLock(lockFile, () => {
				throw new Error('boom');
			}),
		).rejects.toThrow('boom');
		expect(existsSync(lockFile)).toBe(false);
		expect(await withLock(lockFile, () => 42)).toBe(42);
	});

	it('times out naming the lock file and the live holder', async () => {
		const lockFile = join(dir, 'd.lock');
		await withLock(lockFile, async () => {
			await expect(withLock(lockFile, () => undefined, {timeoutMs: 100})).rejects.toThrow(`lock ${lockFile} held by pid ${process.pid}`);
		});
	});

	it('takes over a lock whose holder pid now belongs to an unrelated process', async () => {
		const stranger = await startNode(SLEEPER);
		const lockFile = join(dir, 'd.lock');
		writeFileSync(lockFile, JSON.stringify({pid: stranger.pid, startTime: '1', token: 'x'}));
		writeFileSync(`${lockFile}.break`, JSON.stringify({pid: IMPOSSIBLE_PID, startTime: '1', token: 'y'}));
		expect(await withLock(lockFile, () => 'got it', {timeoutMs: 1000})).toBe('got it');
		expect(readdirSync(dir)).toEqual([]);
		expectUntouched(stranger);
	});

	describe('across processes', () => {
		let bundle: string;

		beforeEach(() => {
			bundle = join(dir, 'lock.mjs');
			buildSync({
				entryPoints: [resolve('src/lifecycle/lock.ts')],
				bundle: true,
				format: 'esm',
				platform: 'node',
				target: 'node20',
				outfile: bundle,
				logLevel: 'silent',
			});
			writeFileSync(
				join(dir, 'worker.mjs'),
				`
import {appendFileSync, existsSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {withLock} from './lock.mjs';
const [lockFile, logFile, goFile, rounds] = process.argv.slice(2);
appendFileSync(goFile + '.ready', process.pid + '\\n');
while (!existsSync(goFile)) await sleep(2);
for (let i = 0; i < Number(rounds); i++) {
	await withLock(lockFile, async () => {
		appendFileSync(logFile, 'start ' + process.pid + '\\n');
		await sleep(3);
		appendFileSync(logFile, 'end ' + process.pid + '\\n');
	}, {timeoutMs: 30000, pollMs: 5});
}
`,
			);
		});

		async function race(lockFile: string): Promise<string[]> {
			const logFile = join(dir, 'log');
			const goFile = join(dir, 'go');
			const rounds = 3;
			const workers = Array.from({length: 10}, () => {
				const child = spawn(process.execPath, [join(dir, 'worker.mjs'), lockFile, logFile, goFile, String(rounds)], {
					stdio: ['ignore', 'ignore', 'inherit'],
				});
				children.push(child);
				return new Promise<number | null>(done => child.once('exit', done));
			});
			// Every worker waits for the start signal before it is given: a race, not a queue.
			const ready = `${goFile}.ready`;
			while (!existsSync(ready) || readFileSync(ready, 'utf8').trim().split('\n').length < 10) {
				await sleep(10);
			}

			writeFileSync(goFile, '');
			expect(await Promise.all(workers)).toEqual(Array(10).fill(0));
			const lines = readFileSync(logFile, 'utf8').trim().split('\n');
			expect(lines).toHaveLength(10 * rounds * 2);
			for (let i = 0; i < lines.length; i += 2) {
				const pid = lines[i]?.split(' ')[1];
				expect(lines[i]).toBe(`start ${pid}`);
				expect(lines[i + 1]).toBe(`end ${pid}`);
			}
			expect(existsSync(lockFile)).toBe(false);
			return lines;
		}

		it('serialises ten racing processes', async () => {
			await race(join(dir, 'd.lock'));
		});

		it('serialises ten processes racing to take over a stale lock', async () => {
			const stranger = await startNode(SLEEPER);
			const lockFile = join(dir, 'd.lock');
			writeFileSync(lockFile, JSON.stringify({pid: stranger.pid, startTime: '1', token: 'x'}));
			await race(lockFile);
			expect(existsSync(`${lockFile}.break`)).toBe(false);
			expectUntouched(stranger);
		});
	});
});

describe('registrations', () => {
	let regDir: string;

	beforeEach(() => {
		regDir = join(dir, 'run', 'mcp-servers', 'mcp-user');
	});

	it('registers and unregisters the sessions of a client', () => {
		const clientPid = process.pid;
		expect(liveRegistrations(regDir)).toEqual([]);
		register(regDir, {clientPid, sessionId: 'a', projectDir: '/p'});
		register(regDir, {clientPid, sessionId: 'b'});
		register(regDir, {clientPid, sessionId: 'a', projectDir: '/p'});
		const [only, ...rest] = liveRegistrations(regDir);
		expect(rest).toEqual([]);
		expect(only?.clientPid).toBe(clientPid);
		expect(only?.clientStartTime).toBe(currentIdentity().startTime);
		expect(only?.sessionIds.slice().sort()).toEqual(['a', 'b']);
		expect(only?.projectDir).toBe('/p');
		expect(Number.isNaN(Date.parse(only?.since ?? ''))).toBe(false);
		for (const name of readdirSync(regDir)) expect(statSync(join(regDir, name)).mode & 0o777).toBe(0o600);

		expect(unregister(regDir, {clientPid, sessionId: 'a'})).toBe(true);
		expect(unregister(regDir, {clientPid, sessionId: 'a'})).toBe(false);
		expect(liveRegistrations(regDir).map(r => r.sessionIds)).toEqual([['b']]);
		expect(unregister(regDir, {clientPid, sessionId: 'b'})).toBe(true);
		expect(liveRegistrations(regDir)).toEqual([]);
		expect(readdirSync(regDir)).toEqual([]);
	});

	it('keeps the original time when a session registers again', async () => {
		register(regDir, {clientPid: process.pid, sessionId: 's'});
		const since = liveRegistrations(regDir)[0]?.since;
		await sleep(5);
		register(regDir, {clientPid: process.pid, sessionId: 's'});
		expect(liveRegistrations(regDir)[0]?.since).toBe(since);
	});

	it('survives /clear: SessionEnd(old) and SessionStart(new) of one client, in either order', () => {
		const clientPid = process.pid;
		register(regDir, {clientPid, sessionId: 'old'});
		unregister(regDir, {clientPid, sessionId: 'old'});
		register(regDir, {clientPid, sessionId: 'new'});
		expect(liveRegistrations(regDir).map(r => r.sessionIds)).toEqual([['new']]);

		register(regDir, {clientPid, sessionId: 'newer'});
		unregister(regDir, {clientPid, sessionId: 'new'});
		expect(liveRegistrations(regDir).map(r => r.sessionIds)).toEqual([['newer']]);
	});

	it('handles session ids that are not safe file names', () => {
		const sessionId = '../../etc/passwd';
		register(regDir, {clientPid: process.pid, sessionId});
		expect(readdirSync(regDir)).toHaveLength(1);
		expect(readdirSync(regDir)[0]).toMatch(/^\d+-[0-9a-f]{32}\.json$/);
		expect(liveRegistrations(regDir)[0]?.sessionIds).toEqual([sessionId]);
		expect(unregister(regDir, {clientPid: process.pid, sessionId})).toBe(true);
	});

	it('refuses to register a client that is not running', () => {
		expect(() => register(regDir, {clientPid: IMPOSSIBLE_PID, sessionId: 's'})).toThrow('not running');
	});

	it('collects the registration of a killed client', async () => {
		const client = await startNode(SLEEPER);
		register(regDir, {clientPid: client.pid, sessionId: 's1'});
		register(regDir, {clientPid: process.pid, sessionId: 's2'});
		expect(
			liveRegistrations(regDir)
				.map(r => r.clientPid)
				.sort(),
		).toEqual([client.pid, process.pid].sort());
		await killAndWait(client);
		expect(liveRegistrations(regDir).map(r => r.clientPid)).toEqual([process.pid]);
		expect(readdirSync(regDir)).toHaveLength(1);
	});

	it('collects a registration whose pid was recycled', async () => {
		const stranger = await startNode(SLEEPER);
		mkdirSync(regDir, {recursive: true});
		const record = {clientPid: stranger.pid, clientStartTime: '1', sessionId: 's', since: new Date().toISOString()};
		writeFileSync(join(regDir, `${stranger.pid}-s.json`), JSON.stringify(record));
		expect(liveRegistrations(regDir)).toEqual([]);
		expect(readdirSync(regDir)).toEqual([]);
		expectUntouched(stranger);
	});

	it('collects corrupt files without failing, and leaves other entries alone', () => {
		register(regDir, {clientPid: process.pid, sessionId: 'good'});
		writeFileSync(join(regDir, '123-garbage.json'), '{not json');
		writeFileSync(join(regDir, '124-empty.json'), '');
		const misnamed = {
			clientPid: process.pid,
			clientStartTime: currentIdentity().startTime,
			sessionId: 'x',
			since: 'now',
		};
		writeFileSync(join(regDir, '125-y.json'), JSON.stringify(misnamed));
		mkdirSync(join(regDir, 'sub.json'));
		writeFileSync(join(regDir, 'notes.txt'), 'keep');
		expect(liveRegistrations(regDir).map(r => r.sessionIds)).toEqual([['good']]);
		expect(readdirSync(regDir).sort()).toEqual([`${process.pid}-good.json`, 'notes.txt', 'sub.json']);
	});
});

describe('refcount', () => {
	const LINGER_MS = 400;

	function refcount(registrationsDir: string, unused: number[]): Refcount {
		return new Refcount({
			registrationsDir,
			lingerMs: LINGER_MS,
			connections: () => 0,
			onUnused: () => unused.push(Date.now()),
		});
	}

	it('lets the daemon go once nobody has used it for the linger period', () => {
		// The clock is the test's: a loaded machine cannot stretch a wait past the linger here.
		vi.useFakeTimers({toFake: ['Date'], now: Date.now()});
		try {
			const regDir = join(dir, 'registrations');
			const unused: number[] = [];
			const counter = refcount(regDir, unused);
			register(regDir, {clientPid: process.pid, sessionId: 's'});
			vi.setSystemTime(Date.now() + LINGER_MS + 100);
			counter.check();
			expect(unused).toEqual([]);

			unregister(regDir, {clientPid: process.pid, sessionId: 's'});
			const leftAt = Date.now();
			counter.check();
			vi.setSystemTime(leftAt + LINGER_MS - 1);
			counter.check();
			expect(unused).toEqual([]);
			vi.setSystemTime(leftAt + LINGER_MS);
			counter.check();
			expect(unused).toEqual([leftAt + LINGER_MS]);
		} finally {
			vi.useRealTimers();
		}
	});

	it('counts the linger from the end of a session that came and went between two checks', async () => {
		const regDir = join(dir, 'registrations');
		mkdirSync(regDir, {recursive: true});
		const unused: number[] = [];
		const counter = refcount(regDir, unused);
		await sleep(LINGER_MS + 100);
		// Unseen by any check, as a session shorter than the daemon's polling interval is.
		register(regDir, {clientPid: process.pid, sessionId: 'brief'});
		unregister(regDir, {clientPid: process.pid, sessionId: 'brief'});
		const leftAt = Date.now();
		counter.check();
		expect(unused).toEqual([]);
		await sleep(LINGER_MS + 50);
		counter.check();
		expect(unused).toHaveLength(1);
		expect(unused[0]! - leftAt).toBeGreaterThanOrEqual(LINGER_MS);
	});
});
