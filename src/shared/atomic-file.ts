import {closeSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {dirname} from 'node:path';
import {realpathOrSelf} from '../shared/real-path.js';
import {errorCode, readTextIfExists} from './text-file.js';
import {uniqueSuffix} from '../shared/unique-suffix.js';

// What this program writes names the user's processes and sessions, or holds tokens (the config's
// env and headers): nobody else needs to read it.
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Suffix of files still being written; readers of a directory skip them. */
export const TMP_SUFFIX = '.tmp';

export type WriteOptions = {
	/**
	 * The file is the user's own (the config, ~/.claude.json): a replaced one keeps its
	 * permissions, and a symlink to it (dotfile managers) is written through, not replaced.
	 */
	readonly preserve?: boolean;
	/** The new file's mode, for one others must run (a launcher on PATH); default 0600. */
	readonly mode?: number;
};

/** Unique per writer, and beside the target so that rename and link stay on one filesystem. */
function tmpPathFor(path: string): string {
	return `${path}.${uniqueSuffix()}${TMP_SUFFIX}`;
}

/** A synced temp file beside `path` holding `text`, so that a crash right after the rename cannot leave it empty. */
function writeTmp(path: string, text: string, mode: number): string {
	mkdirSync(dirname(path), {recursive: true, mode: DIR_MODE});
	const tmp = tmpPathFor(path);
	const fd = openSync(tmp, 'wx', FILE_MODE);
	try {
		writeSync(fd, text);
		// The mode given to open is cut by the umask; the mode wanted is set exactly.
		fchmodSync(fd, mode);
		fsyncSync(fd);
	} catch (error) {
		closeSync(fd);
		unlinkIfExists(tmp);
		throw error;
	}
	closeSync(fd);
	return tmp;
}

function existingMode(path: string): number | undefined {
	try {
		return statSync(path).mode & 0o7777;
	} catch {
		return undefined;
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
export function writeFileAtomic(path: string, text: string, {preserve = false, mode = FILE_MODE}: WriteOptions = {}): void {
	const target = preserve ? realpathOrSelf(path) : path;
	const tmp = writeTmp(target, text, (preserve ? existingMode(target) : undefined) ?? mode);
	try {
		renameSync(tmp, target);
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
	const tmp = writeTmp(path, text, FILE_MODE);
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
