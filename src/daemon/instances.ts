import type {ServerSpec} from '../config/schema.js';
import {specForRoot} from '../config/entry.js';
import type {Logger} from '../shared/log.js';
import {GLOBAL, instanceKey, type Placement} from '../upstreams/placement.js';
import type {Upstream} from '../upstreams/upstream.js';

/** Whom an instance is for: a session, by its id and project root. */
export type Tenant = {readonly sessionId: string; readonly root: string | undefined};

export type InstancesOptions = {
	/** Makes (but does not start) an instance of a server. */
	readonly create: (spec: ServerSpec, placement: Placement) => Upstream;
	/** Drops what the instances of an entry last listed: the entry changed or went. */
	readonly forget: (server: string) => void;
	/** How long a project's instances outlive its last session. */
	readonly lingerMs: number;
	readonly log: Logger;
};

/**
 * The running instances of the configured servers, by scope: one of each global server; one per
 * project root of each project server, started with the project's first session and stopped a
 * linger period after its last; one per session of each session server, stopped with it.
 */
export class Instances {
	private readonly byKey = new Map<string, Upstream>();
	/** Bumped whenever an instance comes or goes, so what a tenant uses can be remembered between. */
	private generation = 0;
	private readonly stopTimers = new Map<string, NodeJS.Timeout>();

	constructor(
		private specs: readonly ServerSpec[],
		private readonly options: InstancesOptions,
	) {}

	all(): Upstream[] {
		return [...this.byKey.values()];
	}

	get hasSessionScope(): boolean {
		return this.specs.some(spec => spec.scope === 'session');
	}

	startGlobal(): void {
		for (const spec of this.specs.filter(spec => spec.scope === 'global')) {
			this.ensure(spec, GLOBAL);
		}
	}

	/** Starts the instances a tenant is the first to need. */
	acquire(tenant: Tenant): void {
		for (const spec of this.specs) {
			const placement = placementFor(spec, tenant);
			if (placement) {
				this.ensure(spec, placement);
			} else if (spec.scope === 'project') {
				this.options.log.warn('project server not offered: the session names no project directory', {
					server: spec.name,
					session: tenant.sessionId,
				});
			}
		}
	}

	/**
	 * What a tenant uses, as a getter that looks again only after instances came or went: views
	 * ask on every call they route.
	 */
	usedBy(tenant: Tenant): () => Upstream[] {
		let seen = -1;
		let used: Upstream[] = [];
		return () => {
			if (seen !== this.generation) {
				seen = this.generation;
				used = this.of(tenant);
			}

			return used;
		};
	}

	/** The instances a tenant would use, without starting any. */
	private of(tenant: Tenant): Upstream[] {
		return this.specs.flatMap(spec => {
			const placement = placementFor(spec, tenant);
			const upstream = placement && this.byKey.get(instanceKey(spec.name, placement));
			return upstream ? [upstream] : [];
		});
	}

	/**
	 * A tenant left: its session instances stop now; its project's instances after the linger
	 * period, unless `stillUsed` says another session of that project remains.
	 */
	release(tenant: Tenant, stillUsed: (root: string) => boolean): void {
		for (const upstream of this.of(tenant)) {
			const {placement} = upstream;
			if (placement.scope === 'session') {
				void this.stop(upstream);
			} else if (placement.scope === 'project' && !stillUsed(placement.root)) {
				this.stopLater(upstream, stillUsed);
			}
		}
	}

	/**
	 * Applies a new set of entries: instances of removed or changed entries stop, and the new and
	 * changed ones start where they are used (`tenants`: the live sessions). Unchanged entries'
	 * instances go on untouched. Returns the names of what changed.
	 */
	reconfigure(specs: readonly ServerSpec[], tenants: readonly Tenant[]): {added: string[]; removed: string[]; changed: string[]} {
		const before = new Map(this.specs.map(spec => [spec.name, JSON.stringify(spec.raw)]));
		const after = new Map(specs.map(spec => [spec.name, JSON.stringify(spec.raw)]));
		const added = [...after.keys()].filter(name => !before.has(name));
		const removed = [...before.keys()].filter(name => !after.has(name));
		const changed = [...after.keys()].filter(name => before.has(name) && before.get(name) !== after.get(name));
		const gone = new Set([...removed, ...changed]);
		for (const upstream of this.all().filter(instance => gone.has(instance.name))) {
			clearTimeout(this.stopTimers.get(upstream.key));
			this.stopTimers.delete(upstream.key);
			void this.stop(upstream);
		}

		for (const name of gone) {
			this.options.forget(name);
		}

		this.specs = specs;
		this.generation++;
		this.startGlobal();
		for (const tenant of tenants) {
			this.acquire(tenant);
		}

		return {added, removed, changed};
	}

	async stopAll(): Promise<void> {
		for (const timer of this.stopTimers.values()) {
			clearTimeout(timer);
		}

		this.stopTimers.clear();
		await Promise.all(this.all().map(async upstream => this.stop(upstream)));
	}

	/** Makes sure an instance of `spec` runs at `placement`: one there is stays (a pending stop is called off), a missing one starts. */
	private ensure(spec: ServerSpec, placement: Placement): void {
		const key = instanceKey(spec.name, placement);
		clearTimeout(this.stopTimers.get(key));
		this.stopTimers.delete(key);
		if (this.byKey.has(key)) {
			return;
		}

		const root = placement.scope === 'global' ? undefined : placement.root;
		const instanceSpec = specForRoot(spec, root, process.env);
		if ('error' in instanceSpec) {
			this.options.log.error('server entry unusable for this project', {
				server: spec.name,
				project: root,
				error: instanceSpec.error,
			});
			return;
		}

		const upstream = this.options.create(instanceSpec, placement);
		this.byKey.set(key, upstream);
		this.generation++;
		upstream.start();
	}

	private stopLater(upstream: Upstream, stillUsed: (root: string) => boolean): void {
		clearTimeout(this.stopTimers.get(upstream.key));
		const timer = setTimeout(() => {
			this.stopTimers.delete(upstream.key);
			const root = upstream.placement.scope === 'project' ? upstream.placement.root : undefined;
			if (root !== undefined && !stillUsed(root)) {
				this.options.log.info('project server unused for the linger period, stopping', {
					server: upstream.name,
					project: root,
				});
				void this.stop(upstream);
			}
		}, this.options.lingerMs).unref();
		this.stopTimers.set(upstream.key, timer);
	}

	private async stop(upstream: Upstream): Promise<void> {
		this.byKey.delete(upstream.key);
		this.generation++;
		await upstream.stop();
	}
}

function placementFor(spec: ServerSpec, tenant: Tenant): Placement | undefined {
	switch (spec.scope) {
		case 'global': {
			return GLOBAL;
		}

		case 'project': {
			return tenant.root === undefined ? undefined : {scope: 'project', root: tenant.root};
		}

		case 'session': {
			return {scope: 'session', sessionId: tenant.sessionId, root: tenant.root};
		}
	}
}
