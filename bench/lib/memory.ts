import {setTimeout as sleep} from 'node:timers/promises';
import {processMemory as readMemory, processTableName, processTree} from '../../src/platform/os-processes.js';
import {summarize} from './stats.js';

/**
 * Memory of processes, in bytes, as the product's process table reads it:
 *
 * - RSS counts every page a process maps, shared or not, in full for each process: summed over
 *   processes it counts Node's shared code pages once per process.
 * - PSS (Linux only) splits each shared page among the processes sharing it, so a sum over
 *   processes is what they really cost together. A page shared with a process outside the set (the
 *   benchmark itself, other `node` processes) is split with it too, so PSS depends a little on what
 *   else runs. Where there is no PSS (macOS, or MCPPROXY_PROCESS_TABLE=portable) it is NaN, which
 *   tables print as '-'; `memoryNote` says so.
 */
export type ProcessMemory = {readonly pid: number; readonly rss: number; readonly pss: number};

export type MemoryTotal = {
	readonly processes: number;
	readonly rss: number;
	readonly pss: number;
	readonly each: readonly ProcessMemory[];
};

/** RSS and PSS (NaN where the system has none) of one process; undefined when it is gone. */
export function processMemory(pid: number): ProcessMemory | undefined {
	const memory = readMemory(pid);
	return memory === null ? undefined : {pid, rss: memory.rss, pss: memory.pss ?? Number.NaN};
}

/** `roots` and every process descended from them (a daemon's upstream servers, a wrapper's children). */
export function withDescendants(roots: readonly number[]): number[] {
	const found = new Set(roots.flatMap(root => processTree(root).map(row => row.pid)));
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

/** One line for a report: which figures this run has. */
export function memoryNote(): string {
	return processTableName() === 'proc'
		? 'memory: RSS and PSS from /proc'
		: 'memory: RSS only, from `ps` (this process table has no PSS: PSS columns show -, and targets stated in PSS are judged on RSS)';
}

/** PSS where the run has it, else RSS, with its name: what a target is judged on. */
export function judgedFigure(total: Pick<MemoryTotal, 'rss' | 'pss'>): {name: 'PSS' | 'RSS'; bytes: number} {
	return Number.isFinite(total.pss) ? {name: 'PSS', bytes: total.pss} : {name: 'RSS', bytes: total.rss};
}

export function mebibytes(bytes: number, digits = 1): string {
	return Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(digits) : '-';
}

/** How many times `sampleMemory` reads the processes, and the pause between reads. */
export const SAMPLES = 3;
const SAMPLE_GAP_MS = 250;

/** Memory of a setup's processes by role (daemon, servers, bridges…), as medians of a few reads. */
export type SampledMemory = {
	/** The most processes seen in one read. */
	processes: number;
	/** Medians over the reads of the sums over all roles, bytes. */
	rss: number;
	pss: number;
	/** By role, from the last read, bytes. */
	pssByRole: Record<string, number>;
	rssByRole: Record<string, number>;
	countByRole: Record<string, number>;
};

/** Waits `settleMs`, then reads the processes' memory a few times (`roles` is asked again each time). */
export async function sampleMemory(roles: () => Map<string, number[]>, settleMs: number): Promise<SampledMemory> {
	await sleep(settleMs);
	const totals: MemoryTotal[] = [];
	let byRole = new Map<string, MemoryTotal>();
	for (let index = 0; index < SAMPLES; index++) {
		if (index > 0) {
			await sleep(SAMPLE_GAP_MS);
		}

		byRole = new Map([...roles()].map(([role, pids]) => [role, totalMemory(pids)]));
		const all = [...byRole.values()];
		totals.push({
			processes: all.reduce((sum, part) => sum + part.processes, 0),
			rss: all.reduce((sum, part) => sum + part.rss, 0),
			pss: all.reduce((sum, part) => sum + part.pss, 0),
			each: all.flatMap(part => part.each),
		});
	}

	const pick = (record: (total: MemoryTotal) => number) => Object.fromEntries([...byRole].map(([role, total]) => [role, record(total)]));
	return {
		processes: Math.max(...totals.map(total => total.processes)),
		rss: summarize(totals.map(total => total.rss)).p50,
		pss: summarize(totals.map(total => total.pss)).p50,
		pssByRole: pick(total => total.pss),
		rssByRole: pick(total => total.rss),
		countByRole: pick(total => total.processes),
	};
}
