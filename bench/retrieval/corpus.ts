import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Tool} from '@modelcontextprotocol/sdk/types.js';

/** One server's tools/list, with the npm package it came from. */
export type CorpusServer = {
	/** The key it would have in mcp_proxy_config.json, and so the prefix of its exposed names. */
	readonly name: string;
	readonly package: string;
	readonly version: string;
	readonly serverInfo?: {readonly name: string; readonly version: string};
	readonly tools: readonly Tool[];
};

export type Corpus = {
	readonly note: string;
	readonly captured: string;
	readonly servers: readonly CorpusServer[];
};

/** A tool relevant to a query: 2 exactly right, 1 acceptable. */
export type Judgement = {readonly tool: string; readonly grade: 1 | 2};

export type Query = {readonly query: string; readonly relevant: readonly Judgement[]};

const HERE = dirname(fileURLToPath(import.meta.url));

export function loadCorpus(): Corpus {
	return JSON.parse(readFileSync(join(HERE, 'corpus.json'), 'utf8')) as Corpus;
}

export function loadQueries(): Query[] {
	return (JSON.parse(readFileSync(join(HERE, 'queries.json'), 'utf8')) as {queries: Query[]}).queries;
}
