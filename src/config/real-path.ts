import {realpathSync} from 'node:fs';

/** `path` with its symlinks resolved, or `path` itself when that fails (it does not exist yet, say). */
export function realpathOrSelf(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}
