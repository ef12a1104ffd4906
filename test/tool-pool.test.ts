import {describe, expect, it} from 'vitest';
import {ToolPool} from '../src/router/tool-pool.js';

const sorted = (pool: ToolPool) => [...pool.names].sort();

describe('ToolPool', () => {
	it('grows with each retrieval and says whether its membership changed', () => {
		const pool = new ToolPool(10);
		expect(pool.add(['a', 'b'])).toBe(true);
		expect(pool.add(['c'])).toBe(true);
		expect(sorted(pool)).toEqual(['a', 'b', 'c']);
		expect(pool.add(['a', 'c'])).toBe(false);
	});

	it('never holds more than its limit', () => {
		const pool = new ToolPool(3);
		for (const batch of [['a', 'b'], ['c', 'd'], ['e', 'f', 'g'], ['h']]) {
			pool.add(batch);
			expect(pool.names.length).toBeLessThanOrEqual(3);
		}

		expect(pool.names).toHaveLength(3);
	});

	it('evicts the least recently added first while nothing was called', () => {
		const pool = new ToolPool(3);
		pool.add(['a']);
		pool.add(['b']);
		pool.add(['c']);
		expect(pool.add(['d'])).toBe(true);
		expect(sorted(pool)).toEqual(['b', 'c', 'd']);
	});

	it('evicts tools never called before called ones, however old the called ones are', () => {
		const pool = new ToolPool(3);
		pool.add(['a']);
		pool.used('a');
		pool.add(['b']);
		pool.add(['c']);
		pool.add(['d']);
		expect(sorted(pool)).toEqual(['a', 'c', 'd']);
		pool.add(['e']);
		expect(sorted(pool)).toEqual(['a', 'd', 'e']);
	});

	it('among called tools, evicts the least recently used', () => {
		const pool = new ToolPool(2);
		pool.add(['a', 'b']);
		pool.used('b');
		pool.used('a');
		pool.used('b');
		pool.add(['c']);
		expect(sorted(pool)).toEqual(['b', 'c']);
	});

	it('a retrieval finding a pooled tool again keeps it longer', () => {
		const pool = new ToolPool(3);
		pool.add(['a']);
		pool.add(['b']);
		pool.add(['c']);
		pool.add(['a']);
		pool.add(['d']);
		expect(sorted(pool)).toEqual(['a', 'c', 'd']);
	});

	it('never evicts the tools of the retrieval being added, even called ones elsewhere go first', () => {
		const pool = new ToolPool(3);
		pool.add(['a', 'b', 'c']);
		pool.used('a');
		pool.used('b');
		pool.used('c');
		expect(pool.add(['x', 'y', 'z'])).toBe(true);
		expect(sorted(pool)).toEqual(['x', 'y', 'z']);
	});

	it('takes only as many of a retrieval as it holds, the best first', () => {
		const pool = new ToolPool(2);
		pool.add(['a', 'b', 'c', 'd']);
		expect(sorted(pool)).toEqual(['a', 'b']);
	});

	it('takes a retrieval longer than its limit when pooled tools are among the ones left out', () => {
		const pool = new ToolPool(2);
		pool.add(['c', 'd']);
		// c is past the limit in this retrieval: it is not protected, and it goes.
		expect(pool.add(['a', 'b', 'c'])).toBe(true);
		expect(sorted(pool)).toEqual(['a', 'b']);
	});

	it('ignores calls of tools it does not hold', () => {
		const pool = new ToolPool(2);
		pool.used('ghost');
		expect(pool.names).toEqual([]);
	});

	it('retain() drops names that no longer exist and keeps the rest with their history', () => {
		const pool = new ToolPool(3);
		pool.add(['a', 'b', 'c']);
		pool.used('a');
		pool.retain(name => name !== 'b');
		expect(sorted(pool)).toEqual(['a', 'c']);
		pool.add(['d']);
		pool.add(['e']);
		// a was called, so c (never called) went first.
		expect(sorted(pool)).toEqual(['a', 'd', 'e']);
	});
});
