import type {Upstream} from '../upstreams/upstream.js';

/** Waits until each of `upstreams` still starting is ready or has failed its attempt, or `ms` passed. */
export async function whileStarting(upstreams: readonly Upstream[], ms: number): Promise<void> {
	const starting = upstreams.filter(upstream => upstream.state === 'starting');
	if (starting.length > 0 && ms > 0) {
		await Promise.race([Promise.all(starting.map(async upstream => upstream.settled())), sleep(ms)]);
	}
}

/** Looks something up by a name a session gave: what finds nothing may name what a server still starting offers. */
export type Resolve = <T>(lookup: () => T | undefined) => Promise<T | undefined>;

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms).unref();
	});
}
