import {readdirSync, readFileSync} from 'node:fs';

/**
 * Memory of processes, in bytes, read from /proc (Linux only):
 *
 * - RSS (`VmRSS` in /proc/PID/status) counts every page a process maps, shared or not, in full for
 *   each process: summed over processes it counts Node's shared code pages once per process.
 * - PSS (`Pss` in /proc/PID/smaps_rollup) splits each shared page among the processes sharing it,
 *   so a sum over processes is what they really cost together. A page shared with a process
 *   outside the set (the benchmark itself, other `node` processes on the machine) is split with it
 *   too, so PSS depends a little on what else runs.
 */
export type ProcessMemory = {readonly pid: number; readonly rss: number; readonly pss: number};

export type MemoryTotal = {readonly processes: number; readonly rss: number; readonly pss: number; readonly each: readonly ProcessMemory[]};

function kilobytesField(text: string, field: string): number | undefined {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
	return match ? Number(match[1]) * 1024 : undefined;
}

/** RSS and PSS of one process; undefined when it is gone (or /proc does not offer them). */
export function processMemory(pid: number): ProcessMemory | undefined {
	try {
		const rss = kilobytesField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
		const pss = kilobytesField(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
		return rss === undefined || pss === undefined ? undefined : {pid, rss, pss};
	} catch {
		return undefined;
	}
}

/** Parent PID of every process on the machine, from field 4 of /proc/PID/stat. */
function parents(): Map<number, number> {
	const parentOf = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// The command name may hold spaces and parentheses: fields count from the last ')'.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			parentOf.set(Number(entry), Number(fields[1]));
		} catch {
			// Gone between listing and reading.
		}
	}

	return parentOf;
}

/** `roots` and every process descended from them (a daemon's upstream servers, a wrapper's children). */
export function withDescendants(roots: readonly number[]): number[] {
	const parentOf = parents();
	const children = new Map<number, number[]>();
	for (const [pid, parent] of parentOf) {
		children.set(parent, [...(children.get(parent) ?? []), pid]);
	}

	const found = new Set<number>();
	const queue = roots.filter(pid => parentOf.has(pid));
	while (queue.length > 0) {
		const pid = queue.pop()!;
		if (!found.has(pid)) {
			found.add(pid);
			queue.push(...(children.get(pid) ?? []));
		}
	}

	return [...found].sort((a, b) => a - b);
}

/** The sum over `pids` (those still running) of RSS and PSS. */
export function totalMemory(pids: readonly number[]): MemoryTotal {
	const each = pids.map(processMemory).filter((memory): memory is ProcessMemory => memory !== undefined);
	return {
		processes: each.length,
		rss: each.reduce((sum, memory) => sum + memory.rss, 0),
		pss: each.reduce((sum, memory) => sum + memory.pss, 0),
		each,
	};
}

export function mebibytes(bytes: number, digits = 1): string {
	return Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(digits) : '-';
}
