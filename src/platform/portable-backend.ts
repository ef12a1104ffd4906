import {spawnSync} from 'node:child_process';
import {signalZero, type ProcessInfo, type ProcessTableBackend} from './os-processes.js';

/**
 * The process table as macOS offers it, through `ps` and `lsof`; the same commands run on Linux
 * (procps-ng), where MCPPROXY_PROCESS_TABLE=portable selects this backend so the tests cover it.
 * Nothing is cached: every question starts one `ps`, so batch them.
 */

/** Marks an identity this backend took (see ProcessIdentity). */
export const PORTABLE_PREFIX = 'ps:';

/**
 * `lstart` is the start time to the second; the command line (last, so it may hold spaces) tells
 * apart a pid reused within that second. `-ww`: never cut the command to a terminal's width.
 */
const PS_FORMAT = 'pid=,ppid=,pgid=,stat=,lstart=,rss=,command=';

/** The C locale and UTC make `lstart` read the same in every process, whatever its TZ or language. */
const STABLE_OUTPUT = {LC_ALL: 'C', LANG: 'C', TZ: 'UTC'};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const ROW = new RegExp(
	String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+` +
		String.raw`(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})\s+(\d+)(?:\s(.*))?$`,
);

/** `lstart` as an ISO time, e.g. 'Fri Dec  4 08:53:47 2026' → '2026-12-04T08:53:47Z'. */
function isoStart(month: string, day: string, hour: string, minute: string, second: string, year: string): string | undefined {
	const monthIndex = MONTHS.indexOf(month);
	if (monthIndex < 0) {
		return undefined;
	}

	const time = Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second));
	return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace('.000Z', 'Z');
}

/**
 * Rows of `ps -o pid=,ppid=,pgid=,stat=,lstart=,rss=,command=` run with STABLE_OUTPUT. Columns are
 * padded to varying widths, so each line is matched as a whole; a line that does not fit (a
 * locale we did not ask for, a process cut off mid-exit) is left out rather than half-read.
 */
export function parsePsOutput(text: string): ProcessInfo[] {
	const rows: ProcessInfo[] = [];
	for (const line of text.split('\n')) {
		const match = ROW.exec(line.trimEnd());
		if (match === null) {
			continue;
		}

		const [, pid, ppid, pgid, stat, month, day, hour, minute, second, year, rss, command = ''] = match as unknown as string[];
		const started = isoStart(month!, day!, hour!, minute!, second!, year!);
		if (started === undefined) {
			continue;
		}

		rows.push({
			pid: Number(pid),
			ppid: Number(ppid),
			pgid: Number(pgid),
			// Z: a zombie, on both systems (procps also shows X for dead).
			exited: stat!.startsWith('Z') || stat!.startsWith('X'),
			startTime: `${PORTABLE_PREFIX}${started} ${command.trim()}`,
			rss: Number(rss) * 1024,
			command: command.trim(),
		});
	}

	return rows;
}

/** The pids in `lsof -F p` output: one field a line, `p` lines name processes. */
export function parseLsofPids(text: string): number[] {
	const pids = new Set<number>();
	for (const line of text.split('\n')) {
		const match = /^p(\d+)$/.exec(line.trim());
		if (match) {
			pids.add(Number(match[1]));
		}
	}

	return [...pids];
}

/**
 * Runs a reporting command and returns what it printed. Its exit status is not an error: `ps -p`
 * exits 1 when a pid is gone, `lsof` when nothing matches; only a command that cannot run is.
 */
function run(command: string, args: string[], optional = false): string {
	const result = spawnSync(command, args, {
		encoding: 'utf8',
		env: {...process.env, ...STABLE_OUTPUT},
		maxBuffer: 64 * 1024 * 1024,
		timeout: 10_000,
	});
	if (result.error) {
		if (optional) {
			return '';
		}

		throw new Error(
			`mcp-tooling reads processes with \`${command}\`, which could not run (${result.error.message}); ` +
				'it is part of every macOS and Linux system: check PATH',
		);
	}

	return result.stdout;
}

export const portableBackend: ProcessTableBackend = {
	name: 'portable',
	read(pids) {
		const rows = parsePsOutput(run('ps', ['-ww', '-o', PS_FORMAT, '-p', pids.join(',')]));
		const wanted = new Set(pids);
		return new Map(rows.filter(row => wanted.has(row.pid)).map(row => [row.pid, row]));
	},
	all() {
		return parsePsOutput(run('ps', ['-A', '-ww', '-o', PS_FORMAT]));
	},
	pss() {
		return undefined;
	},
	listeners(port) {
		// macOS keeps lsof in /usr/sbin, which a user's PATH may lack.
		const args = ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fp'];
		return parseLsofPids(run('lsof', args, true) || run('/usr/sbin/lsof', args, true));
	},
	quickCheck(identity) {
		return signalZero(identity.pid);
	},
};
