/**
 * Retrieval quality and speed of the tool index (src/router/tool-index.ts) on real tool
 * definitions: bench/retrieval/corpus.json (captured from npm MCP servers by capture.ts) and the
 * plain-language requests with graded judgements in bench/retrieval/queries.json.
 *
 * Beside it, in the same run, a plain BM25 baseline: the same library (MiniSearch) with its
 * defaults, over the tool name and description only: no stemming, synonyms, boosts or fuzziness.
 * Then query time at the corpus's size and at ≥1,000 tools (the corpus repeated under other server names).
 */
import {performance} from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import {assignNames} from '../src/router/names.js';
import {indexedText, ToolIndex, type IndexedTool, type ToolIndexOptions} from '../src/router/tool-index.js';
import {analyze} from '../src/router/tokenize.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {summarize, type Summary} from './lib/stats.js';
import {formatTable, ms} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {loadCorpus, loadQueries, type CorpusServer, type Query} from './retrieval/corpus.js';
import {meanScores, scoreQuery, type QueryScores} from './retrieval/metrics.js';

const TARGET_RECALL5 = 0.9;
/** "Clearly above the baseline": at least this much more Recall@5. */
const TARGET_RECALL5_GAIN = 0.05;
const TARGET_MEDIAN_MS = 5;
const LARGE = 1000;
const LIMIT = 10;

type Catalogue = {
	readonly entries: readonly IndexedTool[];
	/** Exposed name → `server__tool` as the judgements name it. */
	readonly key: ReadonlyMap<string, string>;
};

/** The names a session would see for these servers' tools, as the router assigns them. */
function expose(servers: readonly CorpusServer[]): Catalogue {
	const {names} = assignNames(
		servers.flatMap(server => server.tools.map(tool => ({server: server.name, name: tool.name, namespace: true}))),
	);
	const byServer = new Map(servers.map(server => [server.name, new Map(server.tools.map(tool => [tool.name, tool]))]));
	const entries: IndexedTool[] = [];
	const key = new Map<string, string>();
	for (const [name, origin] of names) {
		entries.push({name, server: origin.server, tool: byServer.get(origin.server)!.get(origin.name)!});
		key.set(name, `${origin.server}__${origin.name}`);
	}

	return {entries, key};
}

function groupByServer(entries: readonly IndexedTool[]): Map<string, IndexedTool[]> {
	const groups = new Map<string, IndexedTool[]>();
	for (const entry of entries) {
		groups.set(entry.server, [...(groups.get(entry.server) ?? []), entry]);
	}

	return groups;
}

function buildIndex(entries: readonly IndexedTool[], options?: ToolIndexOptions): ToolIndex {
	const index = new ToolIndex(options);
	for (const [server, tools] of groupByServer(entries)) {
		index.setServerTools(server, tools);
	}

	return index;
}

/** The baseline: MiniSearch as it comes, over name and description. */
function buildBaseline(entries: readonly IndexedTool[]): (query: string) => string[] {
	const search = new MiniSearch<{id: string; name: string; description: string}>({fields: ['name', 'description']});
	search.addAll(entries.map(entry => ({id: entry.name, name: entry.tool.name, description: entry.tool.description ?? ''})));
	return query =>
		search
			.search(query)
			.slice(0, LIMIT)
			.map(result => String(result.id));
}

type Evaluation = {
	readonly mean: QueryScores;
	readonly perQuery: ReadonlyArray<{query: string; ranked: string[]; scores: QueryScores}>;
};

function evaluate(queries: readonly Query[], rank: (query: string) => string[], key: ReadonlyMap<string, string>): Evaluation {
	const perQuery = queries.map(query => {
		const ranked = rank(query.query).map(name => key.get(name) ?? name);
		return {query: query.query, ranked, scores: scoreQuery(ranked, query.relevant)};
	});
	return {mean: meanScores(perQuery.map(item => item.scores)), perQuery};
}

/** The corpus again under other server names (`github-2`, …) until it has at least `size` tools. */
function replicate(servers: readonly CorpusServer[], size: number): CorpusServer[] {
	const perCopy = servers.reduce((sum, server) => sum + server.tools.length, 0);
	const copies = Math.ceil(size / perCopy);
	return Array.from({length: copies}, (_, copy) =>
		servers.map(server => ({...server, name: copy === 0 ? server.name : `${server.name}-${copy + 1}`})),
	).flat();
}

type Timing = {
	readonly tools: number;
	readonly servers: number;
	readonly buildMs: number;
	readonly query: Summary;
	/** setServerTools for one server whose every description changed, then back. */
	readonly replaceServer: Summary;
	readonly closest: Summary;
};

function time(servers: readonly CorpusServer[], queries: readonly Query[], rounds: number): Timing {
	const {entries} = expose(servers);
	const started = performance.now();
	const index = buildIndex(entries);
	const buildMs = performance.now() - started;

	for (const query of queries) {
		index.search(query.query, LIMIT);
	}

	const querySamples: number[] = [];
	for (let round = 0; round < rounds; round++) {
		for (const query of queries) {
			const start = performance.now();
			index.search(query.query, LIMIT);
			querySamples.push(performance.now() - start);
		}
	}

	const largest = [...groupByServer(entries)].sort((a, b) => b[1].length - a[1].length)[0]!;
	const changed = largest[1].map(entry => ({
		...entry,
		tool: {...entry.tool, description: `${entry.tool.description ?? ''} (revised)`},
	}));
	const replaceSamples: number[] = [];
	for (let round = 0; round < Math.max(5, rounds); round++) {
		for (const tools of [changed, largest[1]]) {
			const start = performance.now();
			index.setServerTools(largest[0], tools);
			replaceSamples.push(performance.now() - start);
		}
	}

	const typos = entries.slice(0, 50).map(entry => entry.name.replace(/[aeiou]/, '').replace('_', ''));
	const closestSamples: number[] = [];
	for (const typo of typos) {
		const start = performance.now();
		index.closest(typo, 5);
		closestSamples.push(performance.now() - start);
	}

	return {
		tools: index.size,
		servers: servers.length,
		buildMs,
		query: summarize(querySamples),
		replaceServer: summarize(replaceSamples),
		closest: summarize(closestSamples),
	};
}

const f3 = (value: number) => value.toFixed(3);

async function run(context: BenchContext): Promise<BenchOutcome> {
	const machine = describeMachine();
	const corpus = loadCorpus();
	const queries = loadQueries();
	const catalogue = expose(corpus.servers);
	console.log(
		`retrieval: ${queries.length} requests over ${catalogue.entries.length} real tools from ${corpus.servers.length} servers ` +
			`(${corpus.servers.map(server => `${server.package.replace('@modelcontextprotocol/', '')}@${server.version}`).join(', ')})`,
	);
	console.log(`machine: ${machineLine(machine)}`);

	const rankWith = (options?: ToolIndexOptions) => {
		const index = buildIndex(catalogue.entries, options);
		return (query: string) => index.search(query, LIMIT).map(match => match.name);
	};

	const ours = evaluate(queries, rankWith(), catalogue.key);
	// What two of the index's choices are worth: approximate matching and field weights.
	const exactOnly = evaluate(queries, rankWith({approximate: false}), catalogue.key);
	const equalWeights = evaluate(queries, rankWith({boost: {name: 1, description: 1, params: 1, server: 1}}), catalogue.key);
	const baseline = evaluate(queries, buildBaseline(catalogue.entries), catalogue.key);

	const row = (label: string, scores: QueryScores) => [
		label,
		f3(scores.recall1),
		f3(scores.recall5),
		f3(scores.recall10),
		f3(scores.reciprocalRank),
		f3(scores.ndcg10),
	];
	console.log();
	console.log(
		formatTable(
			['ranking', 'Recall@1', 'Recall@5', 'Recall@10', 'MRR', 'nDCG@10'],
			[
				row('tool index', ours.mean),
				row('  same, exact terms only (no prefix/fuzzy)', exactOnly.mean),
				row('  same, all fields weighted 1', equalWeights.mean),
				row('baseline BM25 (name + description, defaults)', baseline.mean),
			],
			['left', 'right', 'right', 'right', 'right', 'right'],
		),
	);
	console.log(
		'(Recall@k: exactly-right tools in the top k over min(k, their number); MRR: first exactly-right; nDCG gain 3 exact, 1 acceptable)',
	);

	const misses = ours.perQuery.filter(item => item.scores.recall5 < 1);
	if (misses.length > 0) {
		// For each miss, the terms the request shares with the tools it should have found: none means
		// no lexical ranking could have found them, only knowledge of what the words mean.
		const byKey = new Map(catalogue.entries.map(entry => [catalogue.key.get(entry.name)!, entry]));
		let disjoint = 0;
		console.log();
		console.log(`not all exactly-right tools in the top 5 (${misses.length}):`);
		for (const miss of misses) {
			const wanted = queries
				.find(query => query.query === miss.query)!
				.relevant.filter(judgement => judgement.grade === 2)
				.map(judgement => judgement.tool);
			const requestTerms = new Set(analyze(miss.query));
			const shared = new Set(wanted.flatMap(key => analyze(indexedText(byKey.get(key)!)).filter(term => requestTerms.has(term))));
			disjoint += shared.size === 0 ? 1 : 0;
			console.log(
				`  "${miss.query}"\n    wanted ${wanted.join(', ')} (terms in common: ${[...shared].join(' ') || 'none'})\n` +
					`    got ${miss.ranked.slice(0, 5).join(', ') || '(nothing)'}`,
			);
		}

		console.log(`${disjoint} of these requests share no term with any exactly-right tool`);
	}

	const rounds = context.quick ? 5 : 50;
	const timings = [time(corpus.servers, queries, rounds), time(replicate(corpus.servers, LARGE), queries, rounds)];
	console.log();
	console.log(
		formatTable(
			['tools', 'servers', 'build ms', 'query p50 ms', 'query p90 ms', 'query p99 ms', 'replace 1 server p50 ms', 'closest() p50 ms'],
			timings.map(timing => [
				String(timing.tools),
				String(timing.servers),
				ms(timing.buildMs, 1),
				ms(timing.query.p50),
				ms(timing.query.p90),
				ms(timing.query.p99),
				ms(timing.replaceServer.p50),
				ms(timing.closest.p50),
			]),
			['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
		),
	);
	console.log(`(${rounds} rounds of the ${queries.length} requests after one warm-up round; search(query, ${LIMIT}))`);

	const large = timings[1]!;
	const checks = [
		{what: `Recall@5 ≥ ${TARGET_RECALL5}`, met: ours.mean.recall5 >= TARGET_RECALL5},
		{
			what: `Recall@5 ≥ baseline + ${TARGET_RECALL5_GAIN}`,
			met: ours.mean.recall5 >= baseline.mean.recall5 + TARGET_RECALL5_GAIN,
		},
		{what: `query p50 ≤ ${TARGET_MEDIAN_MS} ms at ${large.tools} tools`, met: large.query.p50 <= TARGET_MEDIAN_MS},
	];
	console.log();
	for (const check of checks) {
		console.log(`${check.met ? 'met   ' : 'MISSED'} ${check.what}`);
	}

	const file = writeResults(context, 'retrieval', {
		benchmark: 'retrieval',
		machine,
		quick: context.quick,
		corpus: {
			tools: catalogue.entries.length,
			servers: corpus.servers.map(server => ({
				name: server.name,
				package: server.package,
				version: server.version,
				tools: server.tools.length,
			})),
		},
		queries: queries.length,
		index: ours.mean,
		indexExactTermsOnly: exactOnly.mean,
		indexEqualWeights: equalWeights.mean,
		baseline: baseline.mean,
		timings,
		checks,
		perQuery: ours.perQuery.map((item, position) => ({
			...item,
			ranked: item.ranked.slice(0, 5),
			baseline: baseline.perQuery[position]!.ranked.slice(0, 5),
		})),
	});
	console.log(`wrote ${file}`);
	return {ok: checks.every(check => check.met), files: [file]};
}

export const retrieval: Benchmark = {
	name: 'retrieval',
	description: 'tool index: Recall@1/5/10, MRR, nDCG@10 on real MCP tools vs plain BM25, and query time at the corpus size and 1,000 tools',
	run,
};
