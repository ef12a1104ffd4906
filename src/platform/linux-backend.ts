import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import type {ProcessIdentity, ProcessInfo, ProcessTableBackend} from './os-processes.js';

/** The only reader of /proc in mcp-tooling: Linux's process table, read as files. */

function readText(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

type Stat = {state: string; ppid: number; pgid: number; startTime: string};

/**
 * /proc/PID/stat. Field 2 (comm) is the executable name in parentheses and may itself hold spaces
 * and ')'; everything after the last ')' is plain space-separated fields, starting at field 3.
 */
export function parseStat(text: string): Stat | undefined {
	const close = text.lastIndexOf(')');
	if (close < 0) {
		return undefined;
	}

	const fields = text
		.slice(close + 1)
		.trim()
		.split(' ');
	const [state, ppid, pgid] = fields;
	const startTime = fields[22 - 3];
	if (
		state === undefined ||
		startTime === undefined ||
		!/^\d+$/.test(startTime) ||
		!/^\d+$/.test(ppid ?? '') ||
		!/^\d+$/.test(pgid ?? '')
	) {
		return undefined;
	}

	return {state, ppid: Number(ppid), pgid: Number(pgid), startTime};
}

function kilobytes(text: string | undefined, field: string): number | undefined {
	const match = text === undefined ? null : new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
	return match ? Number(match[1]) * 1024 : undefined;
}

function readRow(pid: number): ProcessInfo | undefined {
	const text = readText(`/proc/${pid}/stat`);
	const stat = text === undefined ? undefined : parseStat(text);
	if (stat === undefined) {
		return undefined;
	}

	return {
		pid,
		ppid: stat.ppid,
		pgid: stat.pgid,
		// Zombie ('Z') and dead ('X') processes have exited; only their table entry remains.
		exited: stat.state === 'Z' || stat.state === 'X',
		startTime: stat.startTime,
		rss: kilobytes(readText(`/proc/${pid}/status`), 'VmRSS') ?? 0,
		command: (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' '),
	};
}

function allPids(): number[] {
	try {
		return readdirSync('/proc')
			.filter(entry => /^\d+$/.test(entry))
			.map(Number);
	} catch {
		return [];
	}
}

/** Socket inodes listening on `port`, from /proc/net/tcp{,6} (state 0A is LISTEN). */
function listeningInodes(port: number): Set<string> {
	const inodes = new Set<string>();
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		for (const line of (readText(table) ?? '').split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9] !== undefined) {
				inodes.add(`socket:[${fields[9]}]`);
			}
		}
	}

	return inodes;
}

/** Whose descriptors hold those sockets, among the processes whose descriptors we may read. */
function socketHolders(sockets: Set<string>): number[] {
	const holders: number[] = [];
	for (const pid of sockets.size === 0 ? [] : allPids()) {
		let fds: string[];
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}

		for (const fd of fds) {
			try {
				if (sockets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
					holders.push(pid);
					break;
				}
			} catch {
				// Closed meanwhile.
			}
		}
	}

	return holders;
}

export const linuxBackend: ProcessTableBackend = {
	name: 'proc',
	read(pids) {
		const rows = new Map<number, ProcessInfo>();
		for (const pid of pids) {
			const row = readRow(pid);
			if (row !== undefined) {
				rows.set(pid, row);
			}
		}

		return rows;
	},
	all() {
		return allPids().flatMap(pid => readRow(pid) ?? []);
	},
	pss(pid) {
		return kilobytes(readText(`/proc/${pid}/smaps_rollup`), 'Pss');
	},
	listeners(port) {
		return socketHolders(listeningInodes(port));
	},
	quickCheck(identity: ProcessIdentity) {
		// One small file read: as cheap as the check gets, so it is the full one.
		const text = readText(`/proc/${identity.pid}/stat`);
		const stat = text === undefined ? undefined : parseStat(text);
		return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X' && stat.startTime === identity.startTime;
	},
};
