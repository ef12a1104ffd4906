import {createHash} from 'node:crypto';
import {readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {TMP_SUFFIX, removeIfUnchanged, unlinkIfExists, writeFileAtomic} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {areAlive, asIdentity, processStartTime} from '../platform/os-processes.js';
import {recordIn} from '../shared/record-file.js';

/**
 * One client process (a Claude Code process, whose pid hooks get as CLAUDE_PID) and its live
 * sessions. `since` is when its earliest live session registered; `projectDir` is its latest.
 */
export type Registration = {
	clientPid: number;
	clientStartTime: string;
	sessionIds: string[];
	projectDir?: string;
	since: string;
};

export type RegisterInput = {clientPid: number; sessionId: string; projectDir?: string};
export type UnregisterInput = {clientPid: number; sessionId: string};

/**
 * Stored one file per (client, session), not one per client: register and unregister then each
 * touch only their own file, with no read-modify-write of a shared one, so no interleaving of
 * them (e.g. /clear's SessionEnd(old) racing SessionStart(new) in the same client) can lose a
 * registration. The per-client view is assembled when listing.
 */
export type SessionRecord = {
	clientPid: number;
	clientStartTime: string;
	sessionId: string;
	projectDir?: string;
	since: string;
};

/** A writer dies between write and rename at most rarely; its leftover is surely abandoned after this. */
export const ABANDONED_TMP_MS = 60_000;

export function sessionFileName(clientPid: number, sessionId: string): string {
	// Session ids are UUIDs; anything else is hashed so it cannot escape the directory or overflow a name.
	const safe = /^[\w-]{1,100}$/.test(sessionId) ? sessionId : createHash('sha256').update(sessionId).digest('hex').slice(0, 32);
	return `${clientPid}-${safe}.json`;
}

export function parseSessionRecord(raw: string): SessionRecord | undefined {
	const value = recordIn(raw);
	if (value === undefined) return undefined;
	const {clientPid, clientStartTime, sessionId, projectDir, since} = value;
	const client = asIdentity({pid: clientPid, startTime: clientStartTime});
	if (client === undefined || typeof sessionId !== 'string' || typeof since !== 'string') return undefined;
	if (projectDir !== undefined && typeof projectDir !== 'string') return undefined;
	const record: SessionRecord = {clientPid: client.pid, clientStartTime: client.startTime, sessionId, since};
	if (projectDir !== undefined) record.projectDir = projectDir;
	return record;
}

/**
 * Records that `sessionId` of the client process uses the daemon; registering again keeps the
 * original `since`. Throws if the client process is not running.
 */
export function register(dir: string, input: RegisterInput): void {
	const {clientPid, sessionId, projectDir} = input;
	// Recorded so that a later process reusing the pid is not mistaken for this client.
	const clientStartTime = processStartTime(clientPid);
	if (clientStartTime === undefined) throw new Error(`Cannot register session ${sessionId}: client process ${clientPid} is not running`);
	const path = join(dir, sessionFileName(clientPid, sessionId));
	const previousRaw = readTextIfExists(path);
	const previous = previousRaw === undefined ? undefined : parseSessionRecord(previousRaw);
	const since = previous?.clientStartTime === clientStartTime ? previous.since : new Date().toISOString();
	const record: SessionRecord = {clientPid, clientStartTime, sessionId, since};
	if (projectDir !== undefined) record.projectDir = projectDir;
	writeFileAtomic(path, `${JSON.stringify(record)}\n`);
}

/**
 * Forgets one session; true if it was registered. A single unlink, no process inspection: it runs
 * in Claude Code's SessionEnd hook, whose 1.5 s budget all hooks share.
 */
export function unregister(dir: string, input: UnregisterInput): boolean {
	return unlinkIfExists(join(dir, sessionFileName(input.clientPid, input.sessionId)));
}

/**
 * Forgets every session of the client process but `keep`: a Claude Code process runs one session
 * at a time, so when one starts, the others it registered have ended, among them the one /clear or
 * /resume left registered so that the daemon never saw the client without a session. Returns how
 * many were forgotten.
 */
export function forgetOtherSessions(dir: string, keep: UnregisterInput): number {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return 0;
	}
	const prefix = `${keep.clientPid}-`;
	const kept = sessionFileName(keep.clientPid, keep.sessionId);
	let forgotten = 0;
	for (const name of names) {
		if (name.startsWith(prefix) && name.endsWith('.json') && name !== kept && unlinkIfExists(join(dir, name))) forgotten++;
	}
	return forgotten;
}

function removeAbandonedTmp(path: string): void {
	try {
		// ctime, not mtime: a file another process just moved aside to judge it keeps its old mtime.
		if (Date.now() - statSync(path).ctimeMs > ABANDONED_TMP_MS) unlinkIfExists(path);
	} catch {
		// Renamed or removed meanwhile: nothing left to clean.
	}
}

function readEntry(path: string): string | undefined {
	try {
		return readTextIfExists(path);
	} catch {
		// Not a readable file (a directory, say): not ours to judge or delete.
		return undefined;
	}
}

/** Called oldest session first: the first sets `since`, later ones update `projectDir`. */
function addSession(byClient: Map<string, Registration>, record: SessionRecord): void {
	const key = `${record.clientPid}:${record.clientStartTime}`;
	const existing = byClient.get(key);
	if (existing === undefined) {
		const registration: Registration = {
			clientPid: record.clientPid,
			clientStartTime: record.clientStartTime,
			sessionIds: [record.sessionId],
			since: record.since,
		};
		if (record.projectDir !== undefined) registration.projectDir = record.projectDir;
		byClient.set(key, registration);
		return;
	}
	existing.sessionIds.push(record.sessionId);
	if (record.projectDir !== undefined) existing.projectDir = record.projectDir;
}

/**
 * The registrations whose client process is still the one that registered. Files of exited
 * clients (or of a process that reused their pid) and corrupt files are deleted on the way.
 */
export function liveRegistrations(dir: string): Registration[] {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	const candidates: Array<{path: string; raw: string; record: SessionRecord}> = [];
	for (const name of names) {
		const path = join(dir, name);
		if (name.endsWith(TMP_SUFFIX)) {
			removeAbandonedTmp(path);
			continue;
		}
		if (!name.endsWith('.json')) continue;
		const raw = readEntry(path);
		if (raw === undefined) continue;
		const record = parseSessionRecord(raw);
		// A file whose name does not match its content could never be unregistered: corrupt too.
		const valid = record !== undefined && sessionFileName(record.clientPid, record.sessionId) === name;
		if (!valid) {
			removeIfUnchanged(path, raw);
			continue;
		}
		candidates.push({path, raw, record});
	}
	// All clients in one look at the process table: the daemon asks every second.
	const alive = areAlive(candidates.map(({record}) => ({pid: record.clientPid, startTime: record.clientStartTime})));
	const records: SessionRecord[] = [];
	for (const [index, {path, raw, record}] of candidates.entries()) {
		if (alive[index]) records.push(record);
		else removeIfUnchanged(path, raw);
	}
	records.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
	const byClient = new Map<string, Registration>();
	for (const record of records) addSession(byClient, record);
	return [...byClient.values()].sort((a, b) => a.clientPid - b.clientPid);
}
