type Entry = {readonly name: string; lastUsed: number; uses: number};

/**
 * The tools one session sees in dynamic routing, bounded. Each retrieval adds its matches; when
 * the pool would exceed its limit, the least useful go: those never called before those called,
 * then the least recently used or added. Tools of the retrieval being added are never evicted by it.
 */
export class ToolPool {
	private readonly entries = new Map<string, Entry>();
	private clock = 0;

	constructor(private readonly limit: number) {}

	get names(): string[] {
		return [...this.entries.keys()];
	}

	/** Adds tools; returns whether the pool's membership changed. */
	add(names: readonly string[]): boolean {
		const now = ++this.clock;
		let changed = false;
		// More names than the pool holds: the best `limit` go in, and only they are protected, or
		// protected names already pooled could leave nothing to evict.
		const adding = names.slice(0, this.limit);
		for (const name of adding) {
			const entry = this.entries.get(name);
			if (entry) {
				entry.lastUsed = now;
			} else {
				this.entries.set(name, {name, lastUsed: now, uses: 0});
				changed = true;
			}
		}

		const protectedNames = new Set(adding);
		while (this.entries.size > this.limit) {
			const victim = [...this.entries.values()]
				.filter(entry => !protectedNames.has(entry.name))
				.sort((a, b) => Math.sign(a.uses) - Math.sign(b.uses) || a.lastUsed - b.lastUsed)[0]!;
			this.entries.delete(victim.name);
			changed = true;
		}

		return changed;
	}

	/** A call keeps a tool in the pool longer. */
	used(name: string): void {
		const entry = this.entries.get(name);
		if (entry) {
			entry.uses++;
			entry.lastUsed = ++this.clock;
		}
	}

	/** Drops names that no longer exist upstream. */
	retain(exists: (name: string) => boolean): void {
		for (const name of this.entries.keys()) {
			if (!exists(name)) {
				this.entries.delete(name);
			}
		}
	}
}
