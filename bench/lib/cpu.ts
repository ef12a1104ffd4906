import {readdirSync, readFileSync} from 'node:fs';

/**
 * CPU time a process has used so far, in nanoseconds: the sum over its threads of the first field
 * of /proc/PID/task/TID/schedstat (time on a CPU). Unlike a profile, it does not count the time a
 * process sat preempted while the peer it just woke ran. Undefined where /proc does not offer it.
 */
export function cpuNanos(pid: number): number | undefined {
	try {
		let total = 0;
		for (const tid of readdirSync(`/proc/${pid}/task`)) {
			try {
				total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
			} catch {
				// The thread ended between listing and reading.
			}
		}

		return total;
	} catch {
		return undefined;
	}
}

/** Adds up the CPU time named processes use over measured stretches. */
export class CpuMeter<Role extends string> {
	private readonly used = new Map<Role, number>();

	constructor(private readonly pids: ReadonlyMap<Role, number>) {}

	/** Runs `work`, charging each process the CPU time it used meanwhile. */
	async measure(work: () => Promise<void>): Promise<void> {
		const before = this.read();
		await work();
		const after = this.read();
		for (const [role, start] of before) {
			const end = after.get(role);
			if (end !== undefined) {
				this.used.set(role, (this.used.get(role) ?? 0) + end - start);
			}
		}
	}

	/** Milliseconds of CPU each process used over everything measured so far. */
	totals(): Map<Role, number> {
		return new Map([...this.used].map(([role, nanos]) => [role, nanos / 1e6]));
	}

	private read(): Map<Role, number> {
		const values = new Map<Role, number>();
		for (const [role, pid] of this.pids) {
			const nanos = cpuNanos(pid);
			if (nanos !== undefined) {
				values.set(role, nanos);
			}
		}

		return values;
	}
}
