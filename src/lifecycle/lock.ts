import {setTimeout as sleep} from 'node:timers/promises';
import {createExclusive, unlinkIfExists} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {asIdentity, currentIdentity, isSameProcessAlive, type ProcessIdentity} from '../platform/os-processes.js';
import {uniqueSuffix} from '../shared/unique-suffix.js';
import {recordIn} from '../shared/record-file.js';

export type LockOptions = {
	/** How long to wait for a live holder before giving up; default 10 s. */
	timeoutMs?: number;
	/** Pause between attempts while the lock is held; default 15 ms. */
	pollMs?: number;
};

/**
 * The lock file's content. The token tells this acquisition apart from another one by the same
 * process (two async callers in one process also exclude each other).
 */
type Holder = ProcessIdentity & {token: string};

function holderText(): string {
	const holder: Holder = {...currentIdentity(), token: uniqueSuffix()};
	return JSON.stringify(holder);
}

function parseHolder(raw: string): ProcessIdentity | undefined {
	return asIdentity(recordIn(raw));
}

/** A lock whose holder has exited, or whose pid now belongs to another process, binds nobody. */
function isStale(raw: string): boolean {
	const holder = parseHolder(raw);
	return holder === undefined || !isSameProcessAlive(holder);
}

/**
 * Removes the lock file if it still holds `staleRaw`. Takers are serialised by a second exclusive
 * file, because check-then-unlink by two takers at once is unsafe: the slower one would delete the
 * lock the faster one had just created. Returns whether this call made progress (broke the lock or
 * found it already replaced), so the caller can retry at once instead of sleeping.
 *
 * Residual risk, accepted: the breaker is held for microseconds, and a breaker whose holder died in
 * that window is removed by check-then-unlink, which two takers could race on. That takes a process
 * dying inside the window while two others contend for the same stale lock.
 */
function breakStaleLock(lockFile: string, staleRaw: string): boolean {
	const breaker = `${lockFile}.break`;
	const mine = holderText();
	if (!createExclusive(breaker, mine)) {
		const other = readTextIfExists(breaker);
		if (other !== undefined && isStale(other) && readTextIfExists(breaker) === other) unlinkIfExists(breaker);
		return false;
	}
	try {
		// Only we can remove a stale lock now, and its dead holder will not release it: if it still
		// holds staleRaw, it will until we unlink it.
		if (readTextIfExists(lockFile) === staleRaw) unlinkIfExists(lockFile);
		return true;
	} finally {
		if (readTextIfExists(breaker) === mine) unlinkIfExists(breaker);
	}
}

async function acquire(lockFile: string, timeoutMs: number, pollMs: number): Promise<string> {
	const mine = holderText();
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (createExclusive(lockFile, mine)) return mine;
		const raw = readTextIfExists(lockFile);
		if (raw === undefined) continue; // released since our attempt
		if (isStale(raw) && breakStaleLock(lockFile, raw)) continue;
		if (Date.now() >= deadline) {
			const holder = parseHolder(raw)?.pid ?? 'unknown';
			throw new Error(`Timed out after ${timeoutMs} ms waiting for lock ${lockFile} held by pid ${holder}`);
		}
		await sleep(pollMs);
	}
}

/** Only a holder removes its own lock (a live holder is never taken over), so check-then-unlink is safe here. */
function release(lockFile: string, mine: string): void {
	if (readTextIfExists(lockFile) === mine) unlinkIfExists(lockFile);
}

/**
 * Runs `fn` while holding an exclusive lock shared by all processes of this user, e.g. around
 * "start the daemon unless it runs". Not reentrant: a nested call for the same file waits for the
 * outer one and times out.
 */
export async function withLock<T>(lockFile: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
	const {timeoutMs = 10_000, pollMs = 15} = options;
	const mine = await acquire(lockFile, timeoutMs, pollMs);
	try {
		return await fn();
	} finally {
		release(lockFile, mine);
	}
}
