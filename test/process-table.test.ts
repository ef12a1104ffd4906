import {spawn, type ChildProcess} from 'node:child_process';
import {createServer, type Server} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {parseStat} from '../src/platform/linux-backend.js';
import {groupMembers, isPidAlive, portHolder, processTree, readProcesses, type ProcessInfo} from '../src/platform/os-processes.js';
import {parseLsofPids, parsePsOutput} from '../src/platform/portable-backend.js';

// The process table's two backends: their parsers on recorded output, and both read live on this
// machine, where they must agree (that agreement is what lets the Linux runs vouch for macOS).

/** `LC_ALL=C TZ=UTC ps -A -ww -o pid=,ppid=,pgid=,stat=,lstart=,rss=,command=` on this Linux (procps-ng 4), trimmed. */
const LINUX_PS = `    1     0     0 S<Ll Fri Dec  4 05:01:42 2026  9388 /process_api --firecracker-init --addr 0.0.0.0:2024
    2     0     0 S    Fri Dec  4 05:01:42 2026     0 [kthreadd]
    4     2     0 I<   Fri Dec  4 05:01:42 2026     0 [kworker/R-rcu_gp]
24372 24371 24367 Sl   Fri Dec  4 17:42:49 2026 40148 a) b (c) d
24838 24815 24771 Z    Fri Dec  4 17:43:14 2026     0 [a) b (c) d] <defunct>
`;

/**
 * The same columns as macOS's BSD `ps` prints them, written from its manual (ps(1): `lstart` is
 * ctime's format, `rss` in KiB, zombies are `Z` and show their name in parentheses). Not captured
 * on a Mac: no Mac here.
 */
const MACOS_PS = `    1     0     1 Ss   Thu Dec  3 09:12:05 2026  13520 /sbin/launchd
  612     1   612 S    Thu Dec  3 09:12:40 2026  48304 /Applications/Visual Studio Code.app/Contents/MacOS/Electron --type=renderer
 8119   612  8119 Ss+  Fri Dec  4 08:53:47 2026   2208 -zsh
 8121  8119  8119 Z+   Fri Dec  4 08:53:47 2026      0 (node)
99998  8119  8119 R+   Sat Jan 31 23:59:59 2026 123456 node /Users/me/server.js --name x
`;

describe('parsePsOutput', () => {
	it('reads Linux rows, kernel threads and zombies included', () => {
		const rows = parsePsOutput(LINUX_PS);
		expect(rows.map(row => row.pid)).toEqual([1, 2, 4, 24372, 24838]);
		expect(rows[1]).toEqual({
			pid: 2,
			ppid: 0,
			pgid: 0,
			exited: false,
			startTime: 'ps:2026-12-04T05:01:42Z [kthreadd]',
			rss: 0,
			command: '[kthreadd]',
		});
		expect(rows[3]).toMatchObject({
			pid: 24372,
			ppid: 24371,
			pgid: 24367,
			exited: false,
			rss: 40148 * 1024,
			command: 'a) b (c) d',
		});
		expect(rows[4]!.exited).toBe(true);
	});

	it('reads macOS rows: spaces in the path, state flags, zombies', () => {
		const rows = parsePsOutput(MACOS_PS);
		expect(rows).toHaveLength(5);
		expect(rows[1]).toMatchObject({
			pid: 612,
			ppid: 1,
			pgid: 612,
			command: '/Applications/Visual Studio Code.app/Contents/MacOS/Electron --type=renderer',
		});
		expect(rows[2]!.exited).toBe(false);
		expect(rows[3]).toMatchObject({pid: 8121, exited: true, command: '(node)'});
		expect(rows[4]).toMatchObject({
			pid: 99_998,
			rss: 123_456 * 1024,
			startTime: 'ps:2026-01-31T23:59:59Z node /Users/me/server.js --name x',
		});
	});

	it('tells apart two processes that got the same pid in the same second', () => {
		const [first] = parsePsOutput(' 4242  1  4242 S    Fri Dec  4 08:53:47 2026  100 node daemon.js\n');
		const [reused] = parsePsOutput(' 4242  1  4242 S    Fri Dec  4 08:53:47 2026  100 sleep 5\n');
		expect(first!.startTime).not.toBe(reused!.startTime);
	});

	it('leaves out what it cannot read whole rather than half-reading it', () => {
		const text = [
			'  PID  PPID  PGID STAT STARTED RSS COMMAND', // a header
			' 4242     1  4242 S    Fr  4 Dez 08:53:47 2026  100 node', // a German locale
			' 4243     1  4243 S    Fri Dec  4 08:53', // cut off
			' 4244     1  4244 S    Fri Foo  4 08:53:47 2026  100 node', // no such month
			' 4245     1  4245 S    Fri Dec  4 08:53:47 2026  100 node',
		].join('\n');
		expect(parsePsOutput(text).map(row => row.pid)).toEqual([4245]);
	});
});

describe('parseLsofPids', () => {
	it('reads the p fields of `lsof -F p`, once each, ignoring the others', () => {
		expect(parseLsofPids('p25932\n')).toEqual([25_932]);
		expect(parseLsofPids('p10\nf19\np11\nf20\nf21\np10\nf22\n')).toEqual([10, 11]);
		expect(parseLsofPids('')).toEqual([]);
	});
});

describe('parseStat', () => {
	it('finds the fields after a command name holding spaces and parentheses', () => {
		const fields = Array.from({length: 50}, (_, index) => String(index + 3));
		fields[0] = 'S';
		fields[1] = '77';
		fields[2] = '78';
		expect(parseStat(`123 (a) b (c) d) ${fields.join(' ')}`)).toEqual({
			state: 'S',
			ppid: 77,
			pgid: 78,
			startTime: '22',
		});
	});

	it('refuses what is not a stat line', () => {
		expect(parseStat('')).toBeUndefined();
		expect(parseStat('123 (node) S 1')).toBeUndefined();
		expect(parseStat('123 (node) S x y z')).toBeUndefined();
	});
});

const started: ChildProcess[] = [];
const servers: Server[] = [];

afterEach(async () => {
	for (const server of servers.splice(0)) server.close();
	for (const child of started.splice(0)) {
		if (child.exitCode !== null || child.signalCode !== null) continue;
		const exited = new Promise(done => child.once('exit', done));
		// The group: the shell and the sleeps it started.
		process.kill(-child.pid!, 'SIGKILL');
		await exited;
	}
});

/** A shell in a group of its own that starts two sleeps under it; resolves with their pids once both are `sleep`. */
async function processGroup(): Promise<{leader: number; children: number[]}> {
	const shell = spawn('sh', ['-c', 'sleep 1000 & echo $!; sleep 1000 & echo $!; wait'], {
		detached: true,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	started.push(shell);
	let output = '';
	await new Promise<void>(done => {
		shell.stdout.on('data', (data: Buffer) => {
			output += String(data);
			if (output.trim().split('\n').length === 2) done();
		});
	});
	const children = output.trim().split('\n').map(Number);
	// `$!` is known at the fork, before the child has become `sleep`.
	await expect.poll(() => children.map(pid => readProcesses([pid]).get(pid)?.command)).toEqual(['sleep 1000', 'sleep 1000']);
	return {leader: shell.pid!, children};
}

/** Runs `read` with each backend chosen in turn. */
function withEach<T>(read: () => T): {proc: T; portable: T} {
	const before = process.env.MCPPROXY_PROCESS_TABLE;
	try {
		process.env.MCPPROXY_PROCESS_TABLE = 'proc';
		const proc = read();
		process.env.MCPPROXY_PROCESS_TABLE = 'portable';
		return {proc, portable: read()};
	} finally {
		if (before === undefined) delete process.env.MCPPROXY_PROCESS_TABLE;
		else process.env.MCPPROXY_PROCESS_TABLE = before;
	}
}

/** What both backends must report alike (start times differ in form, RSS moves between reads). */
function shape(row: ProcessInfo | undefined) {
	return row && {pid: row.pid, ppid: row.ppid, pgid: row.pgid, exited: row.exited, command: row.command};
}

describe.runIf(process.platform === 'linux')('both backends, live on Linux', () => {
	it('read the same rows for this process and a group of children', async () => {
		const group = await processGroup();
		const pids = [process.pid, group.leader, ...group.children];
		const {proc, portable} = withEach(() => readProcesses(pids));
		for (const pid of pids) {
			expect(shape(portable.get(pid)), `pid ${pid}`).toEqual(shape(proc.get(pid)));
			expect(portable.get(pid)!.rss).toBeGreaterThan(0);
		}
		expect(proc.get(group.children[0]!)).toMatchObject({ppid: group.leader, pgid: group.leader, command: 'sleep 1000'});
	});

	it('find the same members of a process group and of a process tree', async () => {
		const group = await processGroup();
		const sorted = (rows: readonly ProcessInfo[] | undefined) => (rows ?? []).map(row => row.pid).sort((a, b) => a - b);
		const members = withEach(() => sorted(groupMembers([group.leader]).get(group.leader)));
		expect(members.proc).toEqual([group.leader, ...group.children].sort((a, b) => a - b));
		expect(members.portable).toEqual(members.proc);

		const tree = withEach(() => sorted(processTree(group.leader)));
		expect(tree.portable).toEqual(members.proc);
		expect(tree.proc).toEqual(members.proc);
	});

	it('agree that a killed child is dead, and that an unreaped one is too', async () => {
		const group = await processGroup();
		process.kill(group.children[0]!, 'SIGKILL');
		// The shell reaps it in its `wait`; until then it is a zombie: dead either way.
		await expect.poll(() => withEach(() => isPidAlive(group.children[0]!))).toEqual({proc: false, portable: false});
		expect(withEach(() => isPidAlive(group.children[1]!))).toEqual({proc: true, portable: true});
	});

	it('name the same process as the holder of a listening port', async () => {
		const server = createServer();
		servers.push(server);
		await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
		const {port} = server.address() as {port: number};
		const holder = withEach(() => portHolder(port));
		expect(holder.proc?.pid).toBe(process.pid);
		expect(holder.portable).toEqual(holder.proc);
	});
});
