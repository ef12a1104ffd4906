import {stemmer} from 'stemmer';

/**
 * Text analysis for the tool index: the same steps for tool definitions and for a model's request,
 * so a word in either ends up as the same term.
 *
 *   1. words: split at anything not a letter or digit, at camelCase humps and between letters and
 *      digits (`getPullRequest2` → get Pull Request 2); a compound is kept whole too (`JavaScript`
 *      → JavaScript Java Script), as a request may write it either way; a few phrasal verbs become
 *      one word (`look up` → lookup);
 *   2. lower case; English function words, request filler and single letters dropped;
 *   3. common developer abbreviations spelled out (`pr` → pull request, `repo` → repository);
 *   4. Porter stemming (`directories` → directori, `creating` → creat);
 *   5. synonyms folded into one term (`remove`, `erase` → delete; `folder` → directory), so BM25
 *      sees them as one word with one document frequency.
 *
 * A request may also use a broader word than tools do: `show` may mean list or get. Those are
 * expanded on the query side only (`queryTerms`), never folded into the documents.
 *
 * The lists below are general English and developer usage, not fitted to particular tools.
 */

const STOPWORDS = new Set(
	(
		'a about above after again all also am an and any are as at be been before being below between both but by can could did do does ' +
		'doing done each few for from further had has have having he her here hers him his how i if in into is it its itself just let lets ' +
		'me might more most much must my myself no nor not now of off on once only or other our ours out over own please same she should so ' +
		'some such than that the their theirs them then there these they this those through to too under until up very via was we were what ' +
		'when where which while who whom why will with would you your yours ' +
		// Every document is a tool; saying so tells nothing.
		'tool tools'
	).split(' '),
);

/** Abbreviations a request often uses for words tool definitions spell out. */
const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
	pr: ['pull', 'request'],
	prs: ['pull', 'request'],
	mr: ['merge', 'request'],
	repo: ['repository'],
	repos: ['repository'],
	dir: ['directory'],
	dirs: ['directory'],
	env: ['environment'],
	db: ['database'],
	msg: ['message'],
	img: ['image'],
	pic: ['image'],
	info: ['information'],
	config: ['configuration'],
	js: ['javascript'],
};

/** Phrasal verbs that mean something other than their words: first word → second word → one word. */
const PHRASES = new Map<string, ReadonlyMap<string, string>>([
	[
		'look',
		new Map([
			['up', 'lookup'],
			['for', 'lookup'],
		]),
	],
	['pull', new Map([['up', 'retrieve']])],
]);

/**
 * Words that mean the same in a request and in a tool definition; the first of each group is the
 * term all are indexed and searched as. Only true equivalents belong here: folding a word makes it
 * indistinguishable from the others everywhere.
 */
const SYNONYM_GROUPS: ReadonlyArray<readonly string[]> = [
	// What is done.
	['delete', 'remove', 'erase', 'destroy', 'drop', 'purge', 'discard', 'unset', 'clear'],
	['create', 'make', 'add', 'insert'],
	['search', 'find', 'lookup', 'seek', 'locate'],
	['get', 'fetch', 'retrieve', 'obtain'],
	['list', 'enumerate'],
	['update', 'modify', 'change', 'edit', 'alter', 'amend'],
	['send', 'post'],
	['run', 'execute', 'exec', 'invoke'],
	['select', 'choose', 'pick'],
	['navigate', 'visit', 'browse'],
	// What it is done to.
	['directory', 'folder'],
	['issue', 'ticket', 'bug'],
	['image', 'picture', 'photo'],
	['user', 'person', 'people', 'member'],
];

/** Request words broader than any one tool word: searched as themselves and as these. */
const QUERY_EXPANSIONS: Readonly<Record<string, readonly string[]>> = {
	show: ['list', 'get'],
	display: ['list', 'get'],
	view: ['list', 'get'],
	read: ['get'],
};

const CANONICAL = new Map<string, string>();
for (const [canonical, ...others] of SYNONYM_GROUPS) {
	for (const word of [canonical!, ...others]) {
		CANONICAL.set(stemmer(word), stemmer(canonical!));
	}
}

function fold(stemmed: string): string {
	return CANONICAL.get(stemmed) ?? stemmed;
}

const EXPANSIONS = new Map(
	Object.entries(QUERY_EXPANSIONS).map(([word, broader]) => [fold(stemmer(word)), broader.map(term => fold(stemmer(term)))]),
);

/** Runs of letters and digits. */
const RUN = /[\p{L}\p{N}]+/gu;
const DIGIT = /^\p{N}$/u;
/** A run with nothing to split: all lower case letters, or all digits. */
const PLAIN = /^(?:\p{Ll}+|\p{N}+)$/u;

/** A word inside a run: a capitalised or lower-case word, an acronym (not the capital starting the next word), digits, or other letters. */
const PART = /\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{N}+|\p{L}+/gu;

/** The parts of one run of letters and digits: `getPullRequest2` → get Pull Request 2, `HTTPServer` → HTTP Server. */
function splitRun(run: string): string[] {
	return PLAIN.test(run) ? [run] : Array.from(run.matchAll(PART), ([part]) => part);
}

/** The tokenizer for documents and requests alike: words and compounds, phrasal verbs joined. */
export function tokenize(text: string): string[] {
	const words: string[] = [];
	for (const [run] of text.matchAll(RUN)) {
		const parts = splitRun(run);
		if (parts.length > 1) {
			words.push(run);
		}

		words.push(...parts);
	}

	const tokens: string[] = [];
	for (let index = 0; index < words.length; index++) {
		const joined = PHRASES.get(words[index]!.toLowerCase())?.get(words[index + 1]?.toLowerCase() ?? '');
		if (joined) {
			tokens.push(joined);
			index++;
		} else {
			tokens.push(words[index]!);
		}
	}

	return tokens;
}

/** Index terms by token: tool text repeats its words, and stemming is the costly step. */
const termCache = new Map<string, readonly string[]>();
const TERM_CACHE_MAX = 50_000;

/** The index terms one token stands for: none for a stopword, several for an abbreviation. */
export function indexTerms(token: string): string[] {
	let terms = termCache.get(token);
	if (!terms) {
		const word = token.toLowerCase();
		const dropped = STOPWORDS.has(word) || (word.length === 1 && !DIGIT.test(word));
		terms = dropped ? [] : (ABBREVIATIONS[word] ?? [word]).map(part => fold(stemmer(part)));
		if (termCache.size >= TERM_CACHE_MAX) {
			termCache.clear();
		}

		termCache.set(token, terms);
	}

	return [...terms];
}

/** The terms a request's token is searched as: its index terms, plus broader ones for words like `show`. */
export function queryTerms(token: string): string[] {
	const terms = indexTerms(token);
	const broader = terms.flatMap(term => EXPANSIONS.get(term) ?? []);
	return broader.length === 0 ? terms : [...new Set([...terms, ...broader])];
}

/** All index terms of a text, in order (for tests and debugging). */
export function analyze(text: string): string[] {
	return tokenize(text).flatMap(token => indexTerms(token));
}
