import {linuxBackend} from './linux-backend.js';
import {PORTABLE_PREFIX, portableBackend} from './portable-backend.js';

/**
 * A process as it can be recognised later: a pid alone is not enough, because the kernel reuses
 * pids. `startTime` is opaque, and only compared for equality: on the Linux backend the start
 * time in clock ticks since boot; on the portable one `ps:` + the start second + the command line,
 * since a second is too coarse to tell a reused pid by itself.
 */
export type ProcessIdentity = {pid: number; startTime: string};

/** One row of the process table, as either backend reads it. */
export type ProcessInfo = {
	readonly pid: number;
	readonly ppid: number;
	readonly pgid: number;
	/** Exited and not yet reaped (a zombie): its table entry is all that is left. */
	readonly exited: boolean;
	/** What `ProcessIdentity.startTime` holds for this process. */
	readonly startTime: string;
	/** Resident set size, in bytes. */
	readonly rss: number;
	/** argv joined by spaces. */
	readonly command: string;
};

/**
 * What differs between the systems: the Linux backend reads the kernel's process files (fast, and has PSS); the portable backend
 * asks `ps` and `lsof`, as macOS must, and runs on Linux too so that the tests cover it there.
 */
export type ProcessTableBackend = {
	readonly name: 'proc' | 'portable';
	/** The rows of these pids that exist (zombies included, marked `exited`). */
	read(pids: readonly number[]): Map<number, ProcessInfo>;
	/** Every process the user may see. */
	all(): ProcessInfo[];
	/** Proportional set size in bytes, where the system has it. */
	pss(pid: number): number | undefined;
	/** Pids of the processes listening on TCP `port`, as far as the user may see. */
	listeners(port: number): number[];
	/** Whether a process with this identity runs, without starting a process to find out. */
	quickCheck(identity: ProcessIdentity): boolean;
};

export type ProcessTableName = ProcessTableBackend['name'];

/** `MCPPROXY_PROCESS_TABLE`: `proc` | `portable`; unset, the one this platform has. */
export function processTableName(env: NodeJS.ProcessEnv = process.env): ProcessTableName {
	const chosen = env.MCPPROXY_PROCESS_TABLE;
	if (chosen === 'proc' || chosen === 'portable') {
		return chosen;
	}

	return process.platform === 'linux' ? 'proc' : 'portable';
}

/** Read each time: cheap, and a test may switch it. */
function backend(): ProcessTableBackend {
	return processTableName() === 'proc' ? linuxBackend : portableBackend;
}

/**
 * The backend that can check `identity`: the one that took it. A record written while the other
 * backend was chosen still names its process correctly, so switching the setting while a daemon
 * runs never makes that daemon look dead.
 */
function backendOf(identity: ProcessIdentity): ProcessTableBackend {
	const portable = identity.startTime.startsWith(PORTABLE_PREFIX);
	return portable || process.platform !== 'linux' ? portableBackend : linuxBackend;
}

export function isValidPid(pid: unknown): pid is number {
	// kill(0) and kill(-1) address process groups: never let a bad record reach them.
	return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

/** A `ProcessIdentity` read from a file, or undefined if it is not one. */
export function asIdentity(value: unknown): ProcessIdentity | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}

	const {pid, startTime} = value as Record<string, unknown>;
	return isValidPid(pid) && typeof startTime === 'string' && startTime !== '' ? {pid, startTime} : undefined;
}

/** The live (not exited) processes among `pids`. */
export function readProcesses(pids: readonly number[]): Map<number, ProcessInfo> {
	const valid = pids.filter(pid => isValidPid(pid));
	const rows = valid.length === 0 ? new Map<number, ProcessInfo>() : backend().read(valid);
	return new Map([...rows].filter(([, row]) => !row.exited));
}

/** The process's identity now, or undefined if there is no such process or it has exited. */
export function processStartTime(pid: number): string | undefined {
	return readProcesses([pid]).get(pid)?.startTime;
}

/** The process's argv joined by spaces, or undefined if it cannot be read. */
export function processCommandLine(pid: number): string | undefined {
	return readProcesses([pid]).get(pid)?.command;
}

let self: {table: ProcessTableName; identity: ProcessIdentity} | undefined;

export function currentIdentity(): ProcessIdentity {
	const table = processTableName();
	if (self?.table !== table) {
		const startTime = processStartTime(process.pid);
		if (startTime === undefined) {
			throw new Error(
				`Cannot read this process (pid ${process.pid}) in the process table (${table}); ` +
					`set MCPPROXY_PROCESS_TABLE=${table === 'proc' ? 'portable' : 'proc'} to try the other way`,
			);
		}

		self = {table, identity: {pid: process.pid, startTime}};
	}

	return self.identity;
}

/** For each identity, whether that very process still runs (not a later one reusing its pid). */
export function areAlive(identities: readonly ProcessIdentity[]): boolean[] {
	const byBackend = new Map<ProcessTableBackend, number[]>();
	for (const identity of identities) {
		if (isValidPid(identity.pid)) {
			const table = backendOf(identity);
			byBackend.set(table, [...(byBackend.get(table) ?? []), identity.pid]);
		}
	}

	// One read per backend, however many identities: the portable one starts a process per read.
	const rows = new Map([...byBackend].map(([table, pids]) => [table, table.read(pids)]));
	return identities.map(identity => {
		const row = rows.get(backendOf(identity))?.get(identity.pid);
		return row !== undefined && !row.exited && row.startTime === identity.startTime;
	});
}

/** True only for the very process the identity was taken from, not a later one reusing its pid. */
export function isSameProcessAlive(identity: ProcessIdentity): boolean {
	return areAlive([identity])[0]!;
}

/**
 * The same question for a hot path, answered without starting a process: on Linux the full check;
 * on the portable backend signal 0 only, which a zombie or a recycled pid also passes. For callers
 * whose next step checks again (connecting to the daemon's socket does).
 */
export function isProbablyAlive(identity: ProcessIdentity): boolean {
	return isValidPid(identity.pid) && backendOf(identity).quickCheck(identity);
}

/**
 * Whether some process has this pid, as kill(pid, 0) tells (EPERM: it exists but is another
 * user's), except that an exited, unreaped zombie counts as dead.
 */
export function isPidAlive(pid: number): boolean {
	if (!isValidPid(pid) || !signalZero(pid)) {
		return false;
	}

	const row = backend().read([pid]).get(pid);
	// The table may hide other users' processes (hidepid): then kill's answer stands.
	return row === undefined || !row.exited;
}

/** kill(pid, 0): true when the pid exists, even as another user's process or a zombie. */
export function signalZero(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Signals a whole process group (the server and all it spawned); a group already gone is fine. */
export function signalGroup(leaderPid: number, signal: NodeJS.Signals): void {
	if (!isValidPid(leaderPid)) {
		return;
	}

	try {
		process.kill(-leaderPid, signal);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
			throw error;
		}
	}
}

/** The live members of each process group, by group id. */
export function groupMembers(pgids: readonly number[]): Map<number, ProcessInfo[]> {
	const members = new Map<number, ProcessInfo[]>(pgids.map(pgid => [pgid, []]));
	if (pgids.length === 0) {
		return members;
	}

	for (const row of backend().all()) {
		if (!row.exited) {
			members.get(row.pgid)?.push(row);
		}
	}

	return members;
}

/** `root` and every live process below it. */
export function processTree(root: number): ProcessInfo[] {
	const rows = backend()
		.all()
		.filter(row => !row.exited);
	const children = new Map<number, ProcessInfo[]>();
	for (const row of rows) {
		children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
	}

	const tree = rows.filter(row => row.pid === root);
	for (let index = 0; index < tree.length; index++) {
		tree.push(...(children.get(tree[index]!.pid) ?? []).filter(child => child.pid !== root));
	}

	return tree;
}

/**
 * Memory of a process or group, in bytes. `pss` (proportional set size) splits shared pages
 * among the processes sharing them, so it adds up; `rss` counts them in full for each. Node's
 * code pages are shared, so a node server's RSS overstates what it costs by ~25 MB. `pss` is null
 * where the system has no such figure (macOS) or will not let us read it: say "RSS" then.
 */
export type Memory = {rss: number; pss: number | null; processes: number};

function sum(rows: readonly ProcessInfo[]): Memory | null {
	if (rows.length === 0) {
		return null;
	}

	const table = backend();
	const pss = rows.map(row => table.pss(row.pid));
	return {
		rss: rows.reduce((total, row) => total + row.rss, 0),
		pss: pss.every(value => value !== undefined) ? pss.reduce((total, value) => total + value!, 0) : null,
		processes: rows.length,
	};
}

export function processMemory(pid: number): Memory | null {
	return sum([...readProcesses([pid]).values()]);
}

/**
 * A server and everything it spawned: servers run in their own process group, and one started
 * through `npx` or a shell is mostly its children.
 */
export function groupMemory(leaders: readonly number[]): Map<number, Memory | null> {
	return new Map([...groupMembers(leaders)].map(([leader, rows]) => [leader, sum(rows)]));
}

/** The process listening on TCP `port` on this machine, if the user may see it. */
export function portHolder(port: number): {pid: number; command: string} | undefined {
	const pid = backend().listeners(port)[0];
	return pid === undefined ? undefined : {pid, command: processCommandLine(pid) ?? '?'};
}
