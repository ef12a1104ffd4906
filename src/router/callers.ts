import {ErrorCode, McpError, type RequestId} from '@modelcontextprotocol/sdk/types.js';
import type {Upstream} from '../upstreams/upstream.js';
import type {RoutedSession} from './routed-session.js';

/** A session's request waiting on a server instance: what a server-to-client request is attributed by. */
export type Call = {readonly session: RoutedSession; readonly requestId: RequestId};

/** Who a server-to-client request comes from: one session's call, calls of several sessions, or no call at all. */
export type Caller = {readonly kind: 'one'; readonly call: Call} | {readonly kind: 'several'} | {readonly kind: 'none'};

/** How an instance takes calls from different sessions, with how long calls waited for their turn. */
export type Turns = {readonly serializes: boolean; readonly waits: number; readonly waitedMs: number};

type Waiter = {readonly call: Call; readonly admit: () => void};

class InstanceCalls {
	readonly calls: Call[] = [];
	waiting: Waiter[] = [];
	waits = 0;
	waitedMs = 0;

	constructor(public serializes: boolean) {}

	/** True when `session` may start a call now: no other session's call is in flight, and nobody waits before it. */
	admits(session: RoutedSession): boolean {
		return this.waiting.length === 0 && this.calls.every(call => call.session === session);
	}
}

/**
 * The calls in flight to each server instance, by session: over stdio nothing ties a server's
 * request (sampling, elicitation, roots) to the call that caused it, so the daemon attributes one
 * only when exactly one session has calls in flight. An instance that asks its clients such
 * questions serializes across sessions from then on (or from the start, when its entry says
 * `"clientRequests": "serialize"`): a call from another session waits, in order, until the
 * instance has no call in flight from the first. Instances that never ask are not touched.
 */
export class Callers {
	private readonly instances = new WeakMap<Upstream, InstanceCalls>();

	constructor(
		private readonly options: {
			readonly timeoutMs: number;
			/** An instance starts serializing across sessions, and why. */
			readonly onSerialize: (upstream: Upstream, why: string) => void;
		},
	) {}

	/** Runs `call`'s work against `upstream`, after its turn when the instance serializes. */
	async during<T>(upstream: Upstream, call: Call, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
		const instance = this.instance(upstream);
		if (!instance.serializes || instance.admits(call.session)) {
			instance.calls.push(call);
		} else {
			await this.turn(upstream, instance, call, signal);
		}

		try {
			return await work();
		} finally {
			instance.calls.splice(instance.calls.indexOf(call), 1);
			this.admitNext(instance);
		}
	}

	/** The instance takes turns between sessions from now on. */
	serialize(upstream: Upstream, why: string): void {
		const instance = this.instance(upstream);
		if (!instance.serializes) {
			instance.serializes = true;
			this.options.onSerialize(upstream, why);
		}
	}

	callerOf(upstream: Upstream): Caller {
		const calls = this.instances.get(upstream)?.calls ?? [];
		const sessions = new Set(calls.map(call => call.session));
		if (sessions.size === 0) {
			return {kind: 'none'};
		}

		return sessions.size === 1 ? {kind: 'one', call: calls.at(-1)!} : {kind: 'several'};
	}

	turns(upstream: Upstream): Turns {
		const instance = this.instances.get(upstream);
		return {
			serializes: instance?.serializes ?? upstream.spec.clientRequests === 'serialize',
			waits: instance?.waits ?? 0,
			waitedMs: Math.round(instance?.waitedMs ?? 0),
		};
	}

	private instance(upstream: Upstream): InstanceCalls {
		let instance = this.instances.get(upstream);
		if (!instance) {
			instance = new InstanceCalls(upstream.spec.clientRequests === 'serialize');
			this.instances.set(upstream, instance);
		}

		return instance;
	}

	private async turn(upstream: Upstream, instance: InstanceCalls, call: Call, signal: AbortSignal): Promise<void> {
		signal.throwIfAborted();
		const started = performance.now();
		instance.waits++;
		try {
			await new Promise<void>((resolve, reject) => {
				const leave = () => {
					clearTimeout(timer);
					signal.removeEventListener('abort', onAbort);
					instance.waiting = instance.waiting.filter(waiter => waiter !== entry);
				};

				const onAbort = () => {
					leave();
					this.admitNext(instance);
					reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'cancelled')));
				};

				const timer = setTimeout(() => {
					leave();
					reject(
						new McpError(
							ErrorCode.RequestTimeout,
							`waited ${Math.round(this.options.timeoutMs / 1000)} s for server "${upstream.name}" to finish another ` +
								'session’s calls (it serializes sessions, because it asks its client questions)',
						),
					);
					this.admitNext(instance);
				}, this.options.timeoutMs);
				const entry: Waiter = {
					call,
					admit: () => {
						leave();
						resolve();
					},
				};
				signal.addEventListener('abort', onAbort, {once: true});
				instance.waiting.push(entry);
			});
		} finally {
			instance.waitedMs += performance.now() - started;
		}
	}

	/** Once no other session's call is in flight, the first waiting session gets its turn, with all its waiting calls. */
	private admitNext(instance: InstanceCalls): void {
		const head = instance.waiting[0];
		if (!head || !instance.calls.every(call => call.session === head.call.session)) {
			return;
		}

		const session = head.call.session;
		for (const waiter of instance.waiting.filter(entry => entry.call.session === session)) {
			// In flight from the moment it is admitted, so the next session cannot slip in before it starts.
			instance.calls.push(waiter.call);
			waiter.admit();
		}
	}
}
