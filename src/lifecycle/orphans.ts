import {basename, join} from 'node:path';
import type {Paths} from '../config/paths.js';
import {signalGroup} from '../upstreams/process-group.js';
import {readTextIfExists, removeIfUnchanged, writeFileAtomic} from './atomic-file.js';
import {isSameProcessAlive, processStartTime, type ProcessIdentity} from './process-identity.js';

/** What a daemon leaves for its successor: itself, and the leaders of its servers' process groups. */
type ServersRecord = {daemon: ProcessIdentity; servers: ProcessIdentity[]};

/** Grace between SIGTERM and SIGKILL for servers a dead daemon left behind. */
const ORPHAN_GRACE_MS = 2000;

/** `$AITKIT_ROOT/run/mcp-proxy-NAME.servers.json`, beside the pid file. */
export function serversFile(paths: Paths): string {
	return join(paths.runDir, `${basename(paths.pidFile, '.pid')}.servers.json`);
}

function isIdentity(value: unknown): value is ProcessIdentity {
	const {pid, startTime} = (value ?? {}) as Record<string, unknown>;
	return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 && typeof startTime === 'string';
}

function parse(raw: string): ServersRecord | undefined {
	try {
		const value = JSON.parse(raw) as Partial<ServersRecord>;
		return isIdentity(value.daemon) && Array.isArray(value.servers) && value.servers.every(isIdentity) ? {daemon: value.daemon, servers: value.servers} : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Keeps the record of the servers this daemon runs. A daemon that is killed (SIGKILL, OOM) cannot
 * stop its servers, and a server that ignores the end of its stdin would run on forever, one more
 * copy for each such death: the next daemon ends them from this record.
 */
export class ServersRecorder {
	private written = '';
	/** The pids last written, to skip rewriting an unchanged record. */
	private key = '';

	constructor(
		private readonly file: string,
		private readonly daemon: ProcessIdentity,
	) {}

	/** Called with the servers' current pids; rewrites the file only when they changed. Never throws. */
	update(pids: Array<number | undefined>): void {
		const key = pids.filter(pid => pid !== undefined).join(',');
		if (key === this.key) {
			return;
		}

		const servers = pids.flatMap(pid => {
			const startTime = pid === undefined ? undefined : processStartTime(pid);
			return pid === undefined || startTime === undefined ? [] : [{pid, startTime}];
		});
		const text = `${JSON.stringify({daemon: this.daemon, servers} satisfies ServersRecord)}\n`;
		try {
			writeFileAtomic(this.file, text);
		} catch {
			// Runs on a timer in the daemon: a full disk must not take it down. Tried again next time.
			return;
		}

		this.written = text;
		this.key = key;
	}

	/** After an orderly stop: nothing is left to end. */
	clear(): void {
		if (this.written) {
			removeIfUnchanged(this.file, this.written);
		}
	}
}

/**
 * Ends the servers a dead daemon left running (SIGTERM to each process group, SIGKILL after a
 * grace) and returns their pids. Only a group whose leader is still the very process recorded is
 * signalled, and nothing at all while the recording daemon lives.
 */
export function endOrphanedServers(file: string): number[] {
	const raw = readTextIfExists(file);
	const record = raw === undefined ? undefined : parse(raw);
	if (raw === undefined || (record && isSameProcessAlive(record.daemon))) {
		return [];
	}

	const orphans = (record?.servers ?? []).filter(server => isSameProcessAlive(server));
	for (const orphan of orphans) {
		signalGroup(orphan.pid, 'SIGTERM');
	}

	if (orphans.length > 0) {
		setTimeout(() => {
			for (const orphan of orphans) {
				// The group outlives a leader that obeyed; its other members get no more grace.
				signalGroup(orphan.pid, 'SIGKILL');
			}
		}, ORPHAN_GRACE_MS).unref();
	}

	removeIfUnchanged(file, raw);
	return orphans.map(orphan => orphan.pid);
}
