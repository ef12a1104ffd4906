import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** The clients of the daemon: they reach it through contract/, never by importing daemon/. */
const DAEMON_CLIENTS = ['bridge', 'lifecycle', 'hooks', 'doctor', 'cli'];
/** The CLI runs the daemon: that is top-down. */
const DAEMON_ENTRY = 'cli/daemon-commands.ts -> daemon/run.ts';
/** What the contract may build on, besides node built-ins and packages. */
const CONTRACT_BASE = ['contract', 'platform', 'shared'];

type Edge = {from: string; to: string};

function sources(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const path = join(dir, entry.name);
		return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** Every import of one source file by another, static or dynamic, as paths relative to src/ (package.json is no source). */
function edges(): Edge[] {
	return sources(SRC).flatMap(file => {
		const text = readFileSync(file, 'utf8');
		const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.js)'/g)].map(match => match[1]!);
		return specifiers.map(specifier => ({
			from: relative(SRC, file),
			to: relative(SRC, resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))),
		}));
	});
}

/** A file's folder under src/; a file directly in src/ is a folder of its own. */
function folderOf(path: string): string {
	return path.includes('/') ? path.split('/')[0]! : path;
}

const named = (edge: Edge) => `${edge.from} -> ${edge.to}`;
const all = edges();

/** The folder cycles of a graph, each as the path that closes it. */
function cycles(links: Edge[]): string[][] {
	const next = new Map<string, Set<string>>();
	for (const {from, to} of links) {
		const [a, b] = [folderOf(from), folderOf(to)];
		if (a !== b) {
			next.set(a, new Set([...(next.get(a) ?? []), b]));
		}
	}

	const found: string[][] = [];
	const done = new Set<string>();
	const visit = (folder: string, path: string[]) => {
		if (path.includes(folder)) {
			found.push([...path.slice(path.indexOf(folder)), folder]);
			return;
		}

		if (done.has(folder)) {
			return;
		}

		for (const target of next.get(folder) ?? []) {
			visit(target, [...path, folder]);
		}

		done.add(folder);
	};

	for (const folder of next.keys()) {
		visit(folder, []);
	}

	return found;
}

describe('folders import downward only', () => {
	it('finds the imports it checks', () => {
		expect(all.some(edge => named(edge) === DAEMON_ENTRY)).toBe(true);
		expect(all.filter(edge => !sources(SRC).includes(join(SRC, edge.to))).map(named)).toEqual([]);
	});

	it('has no cycle between folders', () => {
		expect(cycles(all).map(cycle => cycle.join(' -> '))).toEqual([]);
	});

	it("keeps the daemon's clients out of daemon/", () => {
		const reaching = all.filter(
			edge => DAEMON_CLIENTS.includes(folderOf(edge.from)) && folderOf(edge.to) === 'daemon' && named(edge) !== DAEMON_ENTRY,
		);
		expect(reaching.map(named)).toEqual([]);
	});

	it('builds the contract on node, platform/ and shared/ alone', () => {
		const outside = all.filter(edge => folderOf(edge.from) === 'contract' && !CONTRACT_BASE.includes(folderOf(edge.to)));
		expect(outside.map(named)).toEqual([]);
	});

	it('tells a cycle when there is one', () => {
		expect(
			cycles([
				{from: 'a/x.ts', to: 'b/y.ts'},
				{from: 'b/y.ts', to: 'a/z.ts'},
			]),
		).toEqual([['a', 'b', 'a']]);
	});
});
