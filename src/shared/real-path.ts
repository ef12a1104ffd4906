import {realpathSync} from 'node:fs';

/** `path` with its symlinks resolved, or `path` itself when that fails (it does not exist yet, say). */
export function realpathOrSelf(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}

/** Whether two paths name the same file or directory, through symlinks; paths that do not exist compare as written. */
export function samePath(a: string, b: string): boolean {
	return a === b || realpathOrSelf(a) === realpathOrSelf(b);
}
