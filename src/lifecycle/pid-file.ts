import {basename} from 'node:path';
import {removeIfUnchanged, writeFileAtomic} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {
	asIdentity,
	isPidAlive,
	isSameProcessAlive,
	processCommandLine,
	processStartTime,
	type ProcessIdentity,
} from '../platform/os-processes.js';
import {recordIn} from '../shared/record-file.js';

/** The daemon's pid file: the start time makes a recycled pid recognisable, so it cannot lie. */
export type PidRecord = ProcessIdentity & {name: string; version?: string};

/** Substrings of a legacy daemon's command line that mark it as ours (see `adoptLegacy`). */
const LEGACY_MARKERS = ['mcp-tooling', 'dist/cli.js'];

/**
 * The markers alone also fit the plugin's other processes (bridges, hooks,
 * `mcp-tooling daemon status`, an editor open in the checkout), which a recycled pid may name
 * just as well: only a command line that runs the daemon is one.
 */
const DAEMON_COMMAND = /(?:^| )daemon run(?: |$)/;

export function writePidFile(path: string, record: PidRecord): void {
	writeFileAtomic(path, `${JSON.stringify(record)}\n`);
}

function parseJsonRecord(text: string): PidRecord | undefined {
	const value = recordIn(text);
	const identity = asIdentity(value);
	if (identity === undefined || value === undefined) return undefined;
	const {pid, startTime} = identity;
	const {name, version} = value;
	if (typeof name !== 'string') return undefined;
	if (version !== undefined && typeof version !== 'string') return undefined;
	return version === undefined ? {pid, startTime, name} : {pid, startTime, name, version};
}

/**
 * Older (aitkit) daemons wrote a bare pid. Without a start time, the command line is the only
 * evidence that the pid still names our daemon rather than a process that reused it: a live
 * process whose command line runs the daemon and carries one of LEGACY_MARKERS is adopted (with its current start
 * time, so callers can treat it like any record); anything else is stale.
 */
function adoptLegacy(pid: number, path: string): PidRecord | undefined {
	if (!isPidAlive(pid)) return undefined;
	const command = processCommandLine(pid);
	if (command === undefined || !DAEMON_COMMAND.test(command) || !LEGACY_MARKERS.some(marker => command.includes(marker))) return undefined;
	const startTime = processStartTime(pid);
	if (startTime === undefined) return undefined;
	// The legacy layout names the file mcp-proxy-NAME.pid.
	const name = basename(path)
		.replace(/^mcp-proxy-/, '')
		.replace(/\.pid$/, '');
	return {pid, startTime, name};
}

function parsePidFile(raw: string, path: string): PidRecord | undefined {
	const text = raw.trim();
	return /^\d+$/.test(text) ? adoptLegacy(Number(text), path) : parseJsonRecord(text);
}

/** The record as written, or undefined if there is none or it is unreadable or a stale legacy pid. */
export function readPidFile(path: string): PidRecord | undefined {
	const raw = readTextIfExists(path);
	return raw === undefined ? undefined : parsePidFile(raw, path);
}

/**
 * The running daemon's record, or undefined; a file that does not name a live daemon is removed.
 * Never signals anything: a stale record may name an unrelated process.
 */
export function daemonProcess(path: string): PidRecord | undefined {
	const raw = readTextIfExists(path);
	if (raw === undefined) return undefined;
	const record = parsePidFile(raw, path);
	if (record !== undefined && isSameProcessAlive(record)) return record;
	removeIfUnchanged(path, raw);
	return undefined;
}

/** For the daemon at exit: removes the file only if it still names `identity`. */
export function removePidFileIfOwned(path: string, identity: ProcessIdentity): boolean {
	const raw = readTextIfExists(path);
	if (raw === undefined) return false;
	const record = parsePidFile(raw, path);
	if (record?.pid !== identity.pid || record.startTime !== identity.startTime) return false;
	return removeIfUnchanged(path, raw);
}
