import {statSync} from 'node:fs';
import {liveRegistrations} from './registrations.js';

export type RefcountOptions = {
	readonly registrationsDir: string;
	readonly lingerMs: number;
	/** Client sessions connected right now (a bridge holds one open for as long as it runs). */
	readonly connections: () => number;
	/** Called once, when nobody has used the daemon for the whole linger period. */
	readonly onUnused: () => void;
};

/** How often registrations are re-read: a SIGKILLed client leaves no other trace. */
const CHECK_EVERY_MS = 1000;

/**
 * Decides when the daemon is no longer wanted: no live registration and no connected session
 * for the linger period. Registrations whose client process died are collected on the way, so a
 * client killed without its SessionEnd hook still lets the daemon go.
 */
export class Refcount {
	private unusedSince: number | undefined = Date.now();
	private timer?: NodeJS.Timeout;
	private fired = false;

	constructor(private readonly options: RefcountOptions) {}

	start(): void {
		this.timer = setInterval(() => this.check(), Math.min(CHECK_EVERY_MS, Math.max(this.options.lingerMs / 2, 50))).unref();
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** Users now: live registrations plus connected sessions. */
	private users(): number {
		return liveRegistrations(this.options.registrationsDir).length + this.options.connections();
	}

	/** When a registration last came or went (the directory's mtime), never later than `now`. */
	private lastRegistrationChange(now: number): number {
		try {
			return Math.min(statSync(this.options.registrationsDir).mtimeMs, now);
		} catch {
			return 0;
		}
	}

	check(): void {
		if (this.fired) {
			return;
		}

		if (this.users() > 0) {
			this.unusedSince = undefined;
			return;
		}

		// A session that registered and went between two checks was never seen here, but its
		// coming and going changed the directory: the linger counts from then, not from before it.
		const now = Date.now();
		this.unusedSince = Math.max(this.unusedSince ?? now, this.lastRegistrationChange(now));
		if (now - this.unusedSince >= this.options.lingerMs) {
			this.fired = true;
			this.stop();
			this.options.onUnused();
		}
	}
}
