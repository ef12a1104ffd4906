import {randomBytes} from 'node:crypto';
import {closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {realpathOrSelf} from './real-path.js';

/** The config may hold tokens (env, headers), so a new one is readable by its owner only. */
const NEW_FILE_MODE = 0o600;
const NEW_DIR_MODE = 0o700;

/** Writes `data` as JSON (2-space indent, trailing newline), atomically as {@link writeTextAtomic}. */
export function writeConfigAtomic(file: string, data: unknown): void {
	writeTextAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

/**
 * Writes `text` so that readers see either the old or the new file, never a half-written
 * one: a temp file in the same directory is synced and then renamed over the target. A
 * replaced file keeps its permissions, and a symlinked config (dotfile managers) is
 * written through, not replaced by a plain file.
 */
export function writeTextAtomic(file: string, text: string): void {
	const target = realpathOrSelf(file);
	const dir = dirname(target);
	mkdirSync(dir, {recursive: true, mode: NEW_DIR_MODE});
	const mode = existingMode(target) ?? NEW_FILE_MODE;
	const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		const fd = openSync(temp, 'wx', NEW_FILE_MODE);
		try {
			writeSync(fd, text);
			// The mode given to open is cut by the umask; an existing file's mode is restored exactly.
			fchmodSync(fd, mode);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(temp, target);
	} catch (error) {
		rmSync(temp, {force: true});
		throw error;
	}
}

function existingMode(file: string): number | undefined {
	try {
		return statSync(file).mode & 0o7777;
	} catch {
		return undefined;
	}
}
