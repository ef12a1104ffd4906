// BM25 over every upstream tool, by MiniSearch 7 (MIT, no dependencies, ~18 KB minified, ~64 KB as
// tsup bundles it): it adds and removes single documents, boosts fields, takes our tokenizer and
// term processing (one term may become several), and does fuzzy and prefix matching. Orama does as
// much at 2–4× the bundle; wink-bm25-text-search cannot add or remove documents once consolidated.
import MiniSearch, {type SearchOptions} from 'minisearch';
import type {Tool} from '@modelcontextprotocol/sdk/types.js';
import {indexTerms, queryTerms, tokenize} from './tokenize.js';

export type IndexedTool = {
	/** The name sessions see, unique across servers. */
	name: string;
	server: string;
	/** The server's own definition, with its own name. */
	tool: Tool;
};

export type ToolMatch = {name: string; server: string; score: number; tool: Tool};

/** What the index holds for one tool: text fields, split into words by `tokenize`, terms by `indexTerms`. */
type Document = {
	/** The exposed name. */
	readonly id: string;
	/** The tool's own name and its titles. */
	readonly name: string;
	readonly description: string;
	/** Parameter names, their titles, descriptions and enumerated values, nested ones included. */
	readonly params: string;
	readonly server: string;
};

type Field = Exclude<keyof Document, 'id'>;
const FIELDS: readonly Field[] = ['name', 'description', 'params', 'server'];

/**
 * How much a matching word counts by where it is. A tool's name is its most deliberate summary; its
 * description says more, less densely; parameter text is long and shared by many tools (path,
 * owner, page); the server name mostly separates look-alikes (GitHub's and GitLab's create_issue).
 */
const BOOST: Readonly<Record<Field, number>> = {name: 3, description: 1.5, params: 0.5, server: 1};

/**
 * Terms (stems) of four letters or more also match as prefixes (`direct` → `directori`), and of six
 * or more within one edit in five (`repositri` → `repositori`); MiniSearch weighs such matches below
 * exact ones. A typo in a suffix can change the stem beyond reach: tolerance is for roots.
 */
const SEARCH: SearchOptions = {
	boost: BOOST,
	combineWith: 'OR',
	prefix: term => term.length >= 4,
	fuzzy: term => (term.length >= 6 ? 0.2 : false),
	processTerm: queryTerms,
};

export type ToolIndexOptions = {
	/** Field weights in place of the defaults. */
	readonly boost?: Partial<Record<Field, number>>;
	/** False: exact terms only, no prefix or fuzzy matching. */
	readonly approximate?: boolean;
};

/** Nested parameter schemas are read this deep; deeper ones are rare and rarely telling. */
const MAX_SCHEMA_DEPTH = 3;
/** An enumeration longer than this is data (country codes), not vocabulary. */
const MAX_ENUM_VALUES = 20;

type Schema = {
	type?: unknown;
	title?: unknown;
	description?: unknown;
	enum?: unknown;
	properties?: unknown;
	items?: unknown;
};

function asSchema(value: unknown): Schema | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;
}

function collectParams(schema: Schema | undefined, depth: number, out: string[]): void {
	const properties = asSchema(schema?.properties);
	if (!properties || depth > MAX_SCHEMA_DEPTH) {
		return;
	}

	for (const [name, value] of Object.entries(properties)) {
		const property = asSchema(value);
		out.push(name);
		if (!property) {
			continue;
		}

		for (const text of [property.title, property.description]) {
			if (typeof text === 'string') {
				out.push(text);
			}
		}

		if (Array.isArray(property.enum) && property.enum.length <= MAX_ENUM_VALUES) {
			out.push(property.enum.filter(item => typeof item === 'string').join(' '));
		}

		collectParams(property, depth + 1, out);
		collectParams(asSchema(property.items), depth + 1, out);
	}
}

function toDocument(entry: IndexedTool): Document {
	const {tool} = entry;
	const titles = [tool.title, tool.annotations?.title].filter((title): title is string => typeof title === 'string');
	const params: string[] = [];
	collectParams(asSchema(tool.inputSchema), 1, params);
	return {
		id: entry.name,
		name: [tool.name, ...titles].join(' \n '),
		description: tool.description ?? '',
		params: params.join(' \n '),
		server: entry.server,
	};
}

/** All the text the index holds for a tool (to explain a miss: which words it could have matched). */
export function indexedText(entry: IndexedTool): string {
	const document = toDocument(entry);
	return FIELDS.map(field => document[field]).join('\n');
}

function sameText(a: Document, b: Document): boolean {
	return FIELDS.every(field => a[field] === b[field]);
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), or `max + 1` as soon as it
 * must exceed `max`: most names are far from a typo, and are dismissed after a row or two.
 */
function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) {
		return max + 1;
	}

	let previous2: number[] = [];
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let rowMin = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, previous2[j - 2]! + 1);
			}

			current.push(best);
			rowMin = Math.min(rowMin, best);
		}

		if (rowMin > max) {
			return max + 1;
		}

		previous2 = previous;
		previous = current;
	}

	return previous[b.length]!;
}

/**
 * Every upstream tool, searchable by a plain-language request (BM25 over name words, description,
 * parameters and server, with the analysis in tokenize.ts), and by a mistyped name. One server's
 * tools are replaced on their own; a tool whose text did not change is left in place.
 */
export class ToolIndex {
	private readonly engine: MiniSearch<Document>;

	private readonly documents = new Map<string, {document: Document; entry: IndexedTool}>();
	private readonly byServer = new Map<string, Set<string>>();

	/** Options other than the defaults are for measuring what each part is worth (bench/retrieval.ts). */
	constructor(options: ToolIndexOptions = {}) {
		this.engine = new MiniSearch<Document>({
			fields: [...FIELDS],
			tokenize: text => tokenize(text),
			processTerm: term => indexTerms(term),
			searchOptions: {
				...SEARCH,
				boost: {...BOOST, ...options.boost},
				...(options.approximate === false && {prefix: false, fuzzy: false}),
			},
		});
	}

	get size(): number {
		return this.documents.size;
	}

	/** Makes `tools` all the index knows of `server`, replacing what it had. */
	setServerTools(server: string, tools: readonly IndexedTool[]): void {
		const incoming = new Map<string, IndexedTool>();
		for (const entry of tools) {
			incoming.set(entry.name, {...entry, server});
		}

		for (const name of this.byServer.get(server) ?? []) {
			if (!incoming.has(name)) {
				this.removeDocument(name);
			}
		}

		const names = new Set<string>();
		for (const [name, entry] of incoming) {
			const document = toDocument(entry);
			const existing = this.documents.get(name);
			if (existing && existing.entry.server === server && sameText(existing.document, document)) {
				existing.entry = entry;
			} else {
				if (existing) {
					this.removeDocument(name);
				}

				this.engine.add(document);
				this.documents.set(name, {document, entry});
			}

			names.add(name);
		}

		if (names.size > 0) {
			this.byServer.set(server, names);
		} else {
			this.byServer.delete(server);
		}
	}

	removeServer(server: string): void {
		for (const name of this.byServer.get(server) ?? []) {
			this.removeDocument(name);
		}

		this.byServer.delete(server);
	}

	/** The tools best matching a plain-language request, best first; none for a blank request. */
	search(query: string, limit: number): ToolMatch[] {
		if (query.trim() === '' || limit <= 0) {
			return [];
		}

		const matches: ToolMatch[] = [];
		for (const result of this.engine.search(query)) {
			const held = this.documents.get(String(result.id));
			if (held) {
				matches.push({name: held.entry.name, server: held.entry.server, score: result.score, tool: held.entry.tool});
				if (matches.length === limit) {
					break;
				}
			}
		}

		return matches;
	}

	/**
	 * Exposed names most like `name`, for "unknown tool; did you mean …". First the names within a
	 * few edits of it, whole or without the server prefix (`github__creat_isue`, `create_issue`),
	 * nearest first; then those sharing its words up to typos and prefixes (`issue_create`).
	 */
	closest(name: string, limit: number): string[] {
		const typed = name.trim().toLowerCase();
		if (typed === '' || limit <= 0) {
			return [];
		}

		const max = Math.max(2, Math.floor(typed.length * 0.3));
		const near: Array<{name: string; distance: number}> = [];
		for (const {entry} of this.documents.values()) {
			const distance = Math.min(
				editDistance(typed, entry.name.toLowerCase(), max),
				editDistance(typed, entry.tool.name.toLowerCase(), max),
			);
			if (distance <= max) {
				near.push({name: entry.name, distance});
			}
		}

		near.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
		const names = near.map(candidate => candidate.name);
		if (names.length < limit) {
			const byWords = this.engine.search(name, {
				fields: ['name', 'server'],
				boost: {name: 2, server: 1},
				combineWith: 'OR',
				prefix: true,
				fuzzy: 0.34,
				processTerm: indexTerms,
			});
			for (const result of byWords) {
				const id = String(result.id);
				if (!names.includes(id)) {
					names.push(id);
				}
			}
		}

		return names.slice(0, limit);
	}

	private removeDocument(name: string): void {
		const held = this.documents.get(name);
		if (!held) {
			return;
		}

		this.engine.remove(held.document);
		this.documents.delete(name);
		const siblings = this.byServer.get(held.entry.server);
		siblings?.delete(name);
		if (siblings?.size === 0) {
			this.byServer.delete(held.entry.server);
		}
	}
}
