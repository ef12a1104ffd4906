import {createHash} from 'node:crypto';
import {basename} from 'node:path';

/**
 * Where one instance of a server belongs: shared by everyone, by the sessions of one project, or
 * owned by one session (the entry's `scope`).
 */
export type Placement =
	| {readonly scope: 'global'}
	| {readonly scope: 'project'; readonly root: string}
	| {readonly scope: 'session'; readonly sessionId: string; readonly root: string | undefined};

export const GLOBAL: Placement = {scope: 'global'};

/** Unique per instance; also names its stderr log, so it stays a plain file name. */
export function instanceKey(server: string, placement: Placement): string {
	switch (placement.scope) {
		case 'global': {
			return server;
		}

		case 'project': {
			const hash = createHash('sha256').update(placement.root).digest('hex').slice(0, 8);
			return `${server}@${basename(placement.root).replaceAll(/[^\w.-]/g, '_')}-${hash}`;
		}

		case 'session': {
			return `${server}#${placement.sessionId.replaceAll(/[^\w-]/g, '_')}`;
		}
	}
}

/** The project root an instance works in, if any. */
export function rootOf(placement: Placement): string | undefined {
	return placement.scope === 'global' ? undefined : placement.root;
}
