import {cliCommand} from '../shared/cli-command.js';
import {readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import type {Paths} from '../config/paths.js';
import {readState} from '../contract/state-file.js';
import {removeIfUnchanged, TMP_SUFFIX} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {readPidFile} from '../lifecycle/pid-file.js';
import {isSameProcessAlive} from '../platform/os-processes.js';
import {ABANDONED_TMP_MS, parseSessionRecord, sessionFileName} from '../lifecycle/registrations.js';
import {plural} from '../shared/plural.js';
import {type CheckResult, ok, warn} from './check.js';

/** A file that names a process which is gone, or that nobody can use. */
export type StaleFile = {file: string; reason: string; raw: string};

function list(dir: string): string[] {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}

function pidReason(raw: string, path: string): string | undefined {
	const record = readPidFile(path);
	if (record === undefined) {
		return /^\s*\d+\s*$/.test(raw) ? `names pid ${raw.trim()}, which is not a running mcp-tooling daemon` : 'is not a valid pid file';
	}

	return isSameProcessAlive(record) ? undefined : `names pid ${record.pid}, which has exited (or is now another program)`;
}

function stateReason(raw: string, path: string): string | undefined {
	const state = readState(path);
	if (state === undefined) {
		return raw.trim() === '' ? undefined : 'is not a valid state file';
	}

	return isSameProcessAlive(state) ? undefined : `describes daemon pid ${state.pid}, which has exited`;
}

function registrationReason(raw: string, name: string): string | undefined {
	const record = parseSessionRecord(raw);
	if (record === undefined || sessionFileName(record.clientPid, record.sessionId) !== name) {
		return 'is not a valid registration';
	}

	return isSameProcessAlive({pid: record.clientPid, startTime: record.clientStartTime})
		? undefined
		: `registers session ${record.sessionId} of client pid ${record.clientPid}, which has exited`;
}

/** ctime, as the registrations themselves judge it: a file just moved aside keeps its old mtime. */
function ageMs(file: string): number {
	try {
		return Date.now() - statSync(file).ctimeMs;
	} catch {
		return 0;
	}
}

function readIfFile(path: string): string | undefined {
	try {
		return statSync(path).isFile() ? readTextIfExists(path) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Every daemon's pid and state files, and every registration of a client session, that names a
 * process which has exited. Only reads: `daemon status` and the daemon drop such files as they meet
 * them, which would hide what is to be reported.
 */
function findStaleFiles(paths: Paths): StaleFile[] {
	const stale: StaleFile[] = [];
	const consider = (file: string, judge: (raw: string) => string | undefined) => {
		const raw = readIfFile(file);
		const reason = raw === undefined ? undefined : judge(raw);
		if (raw !== undefined && reason !== undefined) {
			stale.push({file, reason, raw});
		}
	};

	for (const name of list(paths.runDir)) {
		const file = join(paths.runDir, name);
		if (/^mcp-proxy-.+\.pid$/.test(name)) {
			consider(file, raw => pidReason(raw, file));
		} else if (/^mcp-proxy-.+\.json$/.test(name) && !name.endsWith('.servers.json')) {
			// The .servers.json record must stay: the next daemon ends the servers it names.
			consider(file, raw => stateReason(raw, file));
		}
	}

	const registrations = join(paths.runDir, 'mcp-servers');
	for (const daemon of list(registrations)) {
		const dir = join(registrations, daemon);
		for (const name of list(dir)) {
			const file = join(dir, name);
			if (name.endsWith(TMP_SUFFIX)) {
				consider(file, () => (ageMs(file) > ABANDONED_TMP_MS ? 'is a registration its writer abandoned' : undefined));
			} else if (name.endsWith('.json')) {
				consider(file, raw => registrationReason(raw, name));
			}
		}
	}

	return stale;
}

/**
 * Deletes the files, each only if it still holds what was judged stale (a daemon or hook may have
 * rewritten it since). Never signals a process: a stale pid may now name anyone's.
 */
function removeStaleFiles(files: readonly StaleFile[]): StaleFile[] {
	return files.filter(file => removeIfUnchanged(file.file, file.raw));
}

export function checkStaleFiles(paths: Paths, fix: boolean): {result: CheckResult; removed: StaleFile[]} {
	const id = 'stale-files';
	const title = 'Stale pid and registration files';
	const stale = findStaleFiles(paths);
	if (stale.length === 0) {
		return {result: ok(id, title, `none in ${paths.runDir}`), removed: []};
	}

	const lines = stale.map(file => `${file.file} ${file.reason}`);
	if (!fix) {
		return {
			result: warn(
				id,
				title,
				`${plural(stale.length, 'file')} name${stale.length === 1 ? 's' : ''} processes that are gone`,
				`\`${cliCommand('doctor --fix')}\` removes them (it signals no process)`,
				lines,
			),
			removed: [],
		};
	}

	const removed = removeStaleFiles(stale);
	const kept = stale.filter(file => !removed.includes(file));
	if (kept.length > 0) {
		return {
			result: warn(
				id,
				title,
				`removed ${removed.length}; ${kept.length} changed meanwhile and stayed`,
				`run \`${cliCommand('doctor --fix')}\` again`,
				kept.map(file => `${file.file} ${file.reason}`),
			),
			removed,
		};
	}

	return {result: {...ok(id, title, `removed ${plural(removed.length, 'stale file')}`), output: lines}, removed};
}
