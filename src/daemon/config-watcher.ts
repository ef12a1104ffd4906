import {unwatchFile, watchFile} from 'node:fs';

/** How often the config file is looked at; editors and `servers add` replace it by rename. */
const POLL_MS = 500;

/**
 * Calls `onChange` when the config file's content may have changed. Polling the file's stat
 * survives the atomic replace (write then rename) that editors and this CLI use, where a watch
 * on the old inode would go quiet.
 */
export function watchConfig(file: string, onChange: () => void): () => void {
	const listener = (current: {mtimeMs: number; size: number; ino: number}, previous: {mtimeMs: number; size: number; ino: number}) => {
		if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size || current.ino !== previous.ino) {
			onChange();
		}
	};

	watchFile(file, {interval: POLL_MS, persistent: false}, listener);
	return () => unwatchFile(file, listener);
}
