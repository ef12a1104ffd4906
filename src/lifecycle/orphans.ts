import {basename, join} from 'node:path';
import type {Paths} from '../config/paths.js';
import {removeIfUnchanged, writeFileAtomic} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {areAlive, asIdentity, isSameProcessAlive, readProcesses, signalGroup, type ProcessIdentity} from '../platform/os-processes.js';
import {recordIn} from '../shared/record-file.js';

/** What a daemon leaves for its successor: itself, and the leaders of its servers' process groups. */
type ServersRecord = {daemon: ProcessIdentity; servers: ProcessIdentity[]};

/** Grace between SIGTERM and SIGKILL for servers a dead daemon left behind. */
const ORPHAN_GRACE_MS = 2000;

/** `$AITKIT_ROOT/run/mcp-proxy-NAME.servers.json`, beside the pid file. */
export function serversFile(paths: Paths): string {
	return join(paths.runDir, `${basename(paths.pidFile, '.pid')}.servers.json`);
}

function parse(raw: string): ServersRecord | undefined {
	const value = recordIn(raw);
	const daemon = asIdentity(value?.daemon);
	const servers = Array.isArray(value?.servers) ? value.servers.map(asIdentity) : [undefined];
	return daemon && servers.every(server => server !== undefined) ? {daemon, servers: servers as ProcessIdentity[]} : undefined;
}

/**
 * Keeps the record of the servers this daemon runs. A daemon that is killed (SIGKILL, OOM) cannot
 * stop its servers, and a server that ignores the end of its stdin would run on forever, one more
 * copy for each such death: the next daemon ends them from this record.
 */
export class ServersRecorder {
	private written = '';
	/** The servers last written, to skip rewriting an unchanged record. */
	private key = '';

	constructor(
		private readonly file: string,
		private readonly daemon: ProcessIdentity,
	) {}

	/**
	 * Called with the servers' current pids and whether each is ready; rewrites the file only when
	 * that changed. Identities are taken again once a server is ready: on the portable backend an
	 * identity holds the command line, which a launcher like `npx` rewrites (its process title)
	 * after it starts and before its server answers. Never throws.
	 */
	update(servers: ReadonlyArray<{pid: number | undefined; ready: boolean}>): void {
		const running = servers.flatMap(server => (server.pid === undefined ? [] : [server as {pid: number; ready: boolean}]));
		const key = running.map(server => `${server.pid}${server.ready ? '+' : ''}`).join(',');
		if (key === this.key) {
			return;
		}

		let processes: ReturnType<typeof readProcesses>;
		try {
			processes = readProcesses(running.map(server => server.pid));
		} catch {
			return;
		}

		const identities = running.flatMap(({pid}) => {
			const startTime = processes.get(pid)?.startTime;
			return startTime === undefined ? [] : [{pid, startTime}];
		});
		const text = `${JSON.stringify({daemon: this.daemon, servers: identities} satisfies ServersRecord)}\n`;
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

	const servers = record?.servers ?? [];
	const alive = areAlive(servers);
	const orphans = servers.filter((_, index) => alive[index]);
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
