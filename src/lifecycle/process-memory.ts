import {readdirSync, readFileSync} from 'node:fs';

/**
 * Memory of a process or group, in bytes. `pss` (proportional set size, from
 * /proc/PID/smaps_rollup) splits shared pages among the processes sharing them, so it adds up;
 * `rss` (from /proc/PID/status) counts them in full for each. Node's code pages are shared, so a
 * node server's RSS overstates what it costs by ~25 MB. `pss` is null where the kernel does not
 * let us read it.
 */
export type Memory = {rss: number; pss: number | null; processes: number};

function kilobytes(file: string, field: string): number | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}

	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
	return match ? Number(match[1]) * 1024 : undefined;
}

function one(pid: number): {rss: number; pss: number | undefined} | undefined {
	if (!Number.isSafeInteger(pid) || pid <= 0) {
		return undefined;
	}

	const rss = kilobytes(`/proc/${pid}/status`, 'VmRSS');
	return rss === undefined ? undefined : {rss, pss: kilobytes(`/proc/${pid}/smaps_rollup`, 'Pss')};
}

function sum(pids: number[]): Memory | null {
	const parts = pids.map(one).filter(part => part !== undefined);
	if (parts.length === 0) {
		return null;
	}

	const pss = parts.every(part => part.pss !== undefined) ? parts.reduce((total, part) => total + part.pss!, 0) : null;
	return {rss: parts.reduce((total, part) => total + part.rss, 0), pss, processes: parts.length};
}

export function processMemory(pid: number): Memory | null {
	return sum([pid]);
}

/** Process group id: field 5 of /proc/PID/stat. */
function groupOf(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
	} catch {
		return undefined;
	}
}

/**
 * A server and everything it spawned: servers run in their own process group, and one started
 * through `npx` or a shell is mostly its children.
 */
export function groupMemory(leaders: readonly number[]): Map<number, Memory | null> {
	const wanted = new Set(leaders);
	const members = new Map<number, number[]>(leaders.map(leader => [leader, []]));
	let entries: string[] = [];
	try {
		entries = readdirSync('/proc').filter(entry => /^\d+$/.test(entry));
	} catch {
		// No /proc: no figures.
	}

	for (const entry of entries) {
		const pid = Number(entry);
		const group = groupOf(pid);
		if (group !== undefined && wanted.has(group)) {
			members.get(group)!.push(pid);
		}
	}

	return new Map([...members].map(([leader, pids]) => [leader, sum(pids.length > 0 ? pids : [leader])]));
}
