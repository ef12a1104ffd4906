import {linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {uniqueSuffix} from './unique-suffix.js';

// These files name the user's processes and sessions: nobody else needs to read them.
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Suffix of files still being written; readers of a directory skip them. */
export const TMP_SUFFIX = '.tmp';

function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Unique per writer, and beside the target so that rename and link stay on one filesystem. */
function tmpPathFor(path: string): string {
	return `${path}.${uniqueSuffix()}${TMP_SUFFIX}`;
}

function writeTmp(path: string, text: string): string {
	mkdirSync(dirname(path), {recursive: true, mode: DIR_MODE});
	const tmp = tmpPathFor(path);
	writeFileSync(tmp, text, {mode: FILE_MODE, flag: 'wx'});
	return tmp;
}

export function readTextIfExists(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}

export function unlinkIfExists(path: string): boolean {
	try {
		unlinkSync(path);
		return true;
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return false;
		throw error;
	}
}

/** Readers see the old content or the new, never a torn mix. */
export function writeFileAtomic(path: string, text: string): void {
	const tmp = writeTmp(path, text);
	try {
		renameSync(tmp, path);
	} catch (error) {
		unlinkIfExists(tmp);
		throw error;
	}
}

/**
 * Creates `path` with `text` only if it does not exist (false if it does). Unlike open(O_EXCL)
 * followed by write, link() makes the file appear with its whole content, so a reader never
 * mistakes a file being written for an empty or corrupt one.
 */
export function createExclusive(path: string, text: string): boolean {
	const tmp = writeTmp(path, text);
	try {
		linkSync(tmp, path);
		return true;
	} catch (error) {
		if (errorCode(error) === 'EEXIST') return false;
		throw error;
	} finally {
		unlinkIfExists(tmp);
	}
}

/**
 * Removes `path` if it still holds `expected`, without ever deleting a newer file a concurrent
 * writer renamed into place after we read it: the file is first moved aside (atomically, whatever
 * it is by then), and put back if it turns out not to be the one judged stale. Meanwhile `path`
 * is briefly absent, which readers already handle. If yet another file appeared there in that
 * instant, it is the newest and stays.
 */
export function removeIfUnchanged(path: string, expected: string): boolean {
	const aside = tmpPathFor(path);
	try {
		renameSync(path, aside);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return false;
		throw error;
	}
	try {
		const moved = readTextIfExists(aside);
		if (moved === undefined) return false; // collected as abandoned by another cleaner
		if (moved === expected) return true;
		try {
			linkSync(aside, path);
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') throw error;
		}
		return false;
	} finally {
		unlinkIfExists(aside);
	}
}
