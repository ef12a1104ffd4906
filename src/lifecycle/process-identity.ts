import {readFileSync} from 'node:fs';

/**
 * A process as it can be recognised later: a pid alone is not enough, because the kernel reuses
 * pids, so a record naming only a pid may end up naming an unrelated process.
 */
export type ProcessIdentity = {pid: number; startTime: string};

type StatFields = {state: string; startTime: string};

function isValidPid(pid: number): boolean {
	// kill(0) and kill(-1) address process groups: never let a bad record reach them.
	return Number.isSafeInteger(pid) && pid > 0;
}

function readStat(pid: number): StatFields | undefined {
	if (!isValidPid(pid)) return undefined;
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}
	// Field 2 (comm) is the executable name in parentheses and may itself hold spaces and ')';
	// everything after the last ')' is plain space-separated fields, starting at field 3.
	const close = text.lastIndexOf(')');
	if (close < 0) return undefined;
	const fields = text.slice(close + 1).trim().split(' ');
	const state = fields[0];
	const startTime = fields[22 - 3];
	if (state === undefined || startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
	return {state, startTime};
}

/** Zombie ('Z') and dead ('X') processes have exited; only their table entry remains. */
function hasExited(state: string): boolean {
	return state === 'Z' || state === 'X';
}

/**
 * When the process started, in clock ticks since boot (field 22 of /proc/<pid>/stat), as a
 * string because only equality matters. undefined if there is no such process or it has exited.
 */
export function processStartTime(pid: number): string | undefined {
	const stat = readStat(pid);
	return stat === undefined || hasExited(stat.state) ? undefined : stat.startTime;
}

/** The process's argv joined by spaces, or undefined if it cannot be read. */
export function processCommandLine(pid: number): string | undefined {
	if (!isValidPid(pid)) return undefined;
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		return undefined;
	}
}

let self: ProcessIdentity | undefined;

export function currentIdentity(): ProcessIdentity {
	if (self === undefined) {
		const startTime = processStartTime(process.pid);
		if (startTime === undefined) throw new Error('Cannot read /proc/self/stat: mcp-tooling needs Linux /proc');
		self = {pid: process.pid, startTime};
	}
	return self;
}

/** True only for the very process the identity was taken from, not a later one reusing its pid. */
export function isSameProcessAlive(id: ProcessIdentity): boolean {
	return processStartTime(id.pid) === id.startTime;
}

/**
 * Whether some process has this pid, as kill(pid, 0) tells (EPERM: it exists but is another
 * user's), except that an exited, unreaped zombie counts as dead.
 */
export function isPidAlive(pid: number): boolean {
	if (!isValidPid(pid)) return false;
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	const stat = readStat(pid);
	// /proc may hide other users' processes (hidepid): then kill's answer stands.
	return stat === undefined || !hasExited(stat.state);
}
