import {describe, expect, it} from 'vitest';
import {assignNames, type NameEntry, type Origin} from '../src/router/names.js';

const namespaced = (server: string, name: string): NameEntry => ({server, name, namespace: true});
const fixed = (server: string, name: string): NameEntry => ({server, name, namespace: false});

/** The exposed name given to `server`'s tool `name`. */
function nameOf(names: Map<string, Origin>, server: string, name: string): string | undefined {
	return [...names].find(([, origin]) => origin.server === server && origin.name === name)?.[0];
}

describe('assignNames', () => {
	it('names a namespaced tool server__tool, and maps the name back to the server and its own name', () => {
		const {names, collisions} = assignNames([namespaced('github', 'create_issue')]);
		expect([...names]).toEqual([['github__create_issue', {server: 'github', name: 'create_issue'}]]);
		expect(collisions).toEqual([]);
	});

	it("keeps a tool of a server without a namespace under the server's own name, exactly", () => {
		const {names} = assignNames([fixed('memory', 'read_graph'), fixed('odd', 'has.dot')]);
		expect(nameOf(names, 'memory', 'read_graph')).toBe('read_graph');
		expect(nameOf(names, 'odd', 'has.dot')).toBe('has.dot');
	});

	it('replaces characters model APIs refuse with "_", and adds a hash so the result cannot pass for another server\'s name', () => {
		const {names} = assignNames([namespaced('my.server', 'files.read'), namespaced('my_server', 'files_read')]);
		expect(nameOf(names, 'my.server', 'files.read')).toMatch(/^my_server__files_read-[0-9a-f]{4}$/);
		expect(nameOf(names, 'my_server', 'files_read')).toBe('my_server__files_read');
		for (const name of names.keys()) {
			expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
		}
	});

	describe('length', () => {
		it('fits names in the 35 characters Claude Code leaves after its 29-character prefix', () => {
			const {names} = assignNames([
				namespaced('a-rather-long-server-name', 'list_the_things'),
				namespaced('s', 'a_tool_name_far_too_long_for_the_room_left'),
			]);
			for (const name of names.keys()) {
				expect(name.length).toBeLessThanOrEqual(35);
			}
		});

		it("shortens the server part first, since the tool's own name says what it does", () => {
			// 23 + 2 + 11 = 36 characters: one too many.
			const {names} = assignNames([namespaced('a-very-long-server-name', 'list_things')]);
			expect(nameOf(names, 'a-very-long-server-name', 'list_things')).toBe('a-very-long-server-nam__list_things');
		});

		it('cuts a tool name too long even so, with a hash of the original pair to keep it unique', () => {
			const tool = 'a_tool_name_far_too_long_for_the_room_left';
			const {names} = assignNames([namespaced('github', tool), namespaced('github', `${tool}_too`)]);
			const one = nameOf(names, 'github', tool)!;
			const other = nameOf(names, 'github', `${tool}_too`)!;
			expect(one).toMatch(/^github__a_tool_name_far_too_lo-[0-9a-f]{4}$/);
			expect(one).toHaveLength(35);
			expect(other).not.toBe(one);
		});

		it('takes another limit when given one', () => {
			expect(nameOf(assignNames([namespaced('server', 'tool_name')], 16).names, 'server', 'tool_name')).toBe('serve__tool_name');
			// Fewer than three characters of the server would be left: cut and hashed instead.
			expect(nameOf(assignNames([namespaced('server', 'tool_name')], 12).names, 'server', 'tool_name')).toMatch(/^server_-[0-9a-f]{4}$/);
		});
	});

	describe('two entries wanting one name', () => {
		it('gives both namespaced ones hashed names, so neither depends on which server came up first', () => {
			// Server `a`'s tool `b__c` and server `a__b`'s tool `c` both read `a__b__c`.
			const {names, collisions} = assignNames([namespaced('a', 'b__c'), namespaced('a__b', 'c')]);
			const first = nameOf(names, 'a', 'b__c')!;
			const second = nameOf(names, 'a__b', 'c')!;
			expect(first).toMatch(/^a__b__c-[0-9a-f]{4}$/);
			expect(second).toMatch(/^a__b__c-[0-9a-f]{4}$/);
			expect(first).not.toBe(second);
			expect(names.has('a__b__c')).toBe(false);
			expect(collisions).toEqual([]);
		});

		it('leaves the name to the entry without a namespace, and hashes the namespaced one', () => {
			const {names, collisions} = assignNames([namespaced('x', 'y'), fixed('plain', 'x__y')]);
			expect(names.get('x__y')).toEqual({server: 'plain', name: 'x__y'});
			expect(nameOf(names, 'x', 'y')).toMatch(/^x__y-[0-9a-f]{4}$/);
			expect(collisions).toEqual([]);
		});

		it('reports two entries without a namespace as a collision naming both servers; the first listed keeps the name', () => {
			const {names, collisions} = assignNames([fixed('memory', 'read_graph'), fixed('memory-copy', 'read_graph')]);
			expect(collisions).toEqual([{name: 'read_graph', servers: ['memory', 'memory-copy']}]);
			expect(names.get('read_graph')).toEqual({server: 'memory', name: 'read_graph'});
			expect(nameOf(names, 'memory-copy', 'read_graph')).toBeUndefined();
		});

		it('lengthens a hash that would give a name another entry wants', () => {
			const wanting = [namespaced('a', 'b__c'), namespaced('a__b', 'c')];
			const hashed = nameOf(assignNames(wanting).names, 'a', 'b__c')!;
			const {names} = assignNames([...wanting, fixed('plain', hashed)]);
			expect(names.get(hashed)).toEqual({server: 'plain', name: hashed});
			expect(nameOf(names, 'a', 'b__c')).toMatch(/^a__b__c-[0-9a-f]{8}$/);
		});
	});

	describe('stability', () => {
		const entries = [
			namespaced('a', 'b__c'),
			namespaced('a__b', 'c'),
			namespaced('my.server', 'do'),
			namespaced('github', 'a_tool_name_far_too_long_for_the_room_left'),
			fixed('memory', 'read_graph'),
		];

		it('gives the same names on every call: hashes come from the server and tool names alone', () => {
			expect([...assignNames(entries).names]).toEqual([...assignNames(entries.map(entry => ({...entry}))).names]);
		});

		it('gives the same names whatever order the servers came up in', () => {
			const sorted = (names: Map<string, Origin>) => [...names].sort(([a], [b]) => a.localeCompare(b));
			expect(sorted(assignNames([...entries].reverse()).names)).toEqual(sorted(assignNames(entries).names));
		});
	});
});
