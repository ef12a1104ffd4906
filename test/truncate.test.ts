import type {Result} from '@modelcontextprotocol/sdk/types.js';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {OUTPUT_TTL_MS, OutputStore, sliceEnd} from '../src/router/output-store.js';
import {readOutput} from '../src/router/read-output.js';
import {truncateResult} from '../src/router/truncate.js';

type Item = {type: string; text?: string; [key: string]: unknown};

const items = (result: Result) => (result as {content: Item[]}).content;
const marker = (result: Result) => items(result).at(-1)!.text!;
/** The text a cut result shows, without its marker. */
const shownText = (result: Result) =>
	items(result)
		.slice(0, -1)
		.filter(item => item.type === 'text')
		.map(item => item.text)
		.join('');

function keyOf(result: Result): {key: string; offset: number} {
	const match = /call read_output with (\{.*\})/.exec(marker(result));
	expect(match, marker(result)).not.toBeNull();
	return JSON.parse(match![1]!) as {key: string; offset: number};
}

/** Reads a cut output to its end the way a client would: shown text, then read_output from the offset named. */
function readAll(result: Result, store: OutputStore, maxChars: number): {text: string; pieces: string[]} {
	let {key, offset} = keyOf(result);
	const pieces = [shownText(result)];
	for (let guard = 0; guard < 10_000; guard++) {
		const next = readOutput(store, key, offset, maxChars);
		expect(next.isError).toBeUndefined();
		const [piece, more] = items(next);
		pieces.push(piece!.text!);
		expect(piece!.text!.length).toBeLessThanOrEqual(Math.max(maxChars, 2));
		if (!more) {
			return {text: pieces.join(''), pieces};
		}

		({key, offset} = JSON.parse(/(\{.*\})/.exec(more.text!)![1]!) as {key: string; offset: number});
	}

	throw new Error('read_output never reached the end');
}

/** No piece starts with a low surrogate or ends with a high one. */
function wholeCharacters(text: string): boolean {
	return !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(text);
}

afterEach(() => {
	vi.useRealTimers();
});

describe('truncateResult', () => {
	it('leaves a result within the bound as it is, the very object', () => {
		const store = new OutputStore();
		const result = {content: [{type: 'text', text: 'x'.repeat(100)}]};
		expect(truncateResult(result, 100, store)).toBe(result);
		const noContent = {structuredContent: {a: 1}};
		expect(truncateResult(noContent, 1, store)).toBe(noContent);
	});

	it('cuts a long text, says how much it kept of how much, and read_output gives the rest', () => {
		const store = new OutputStore();
		const full = Array.from({length: 300}, (_, index) => `line ${index}\n`).join('');
		const result = truncateResult({content: [{type: 'text', text: full}]}, 500, store);
		expect(shownText(result)).toBe(full.slice(0, 500));
		expect(marker(result)).toContain(`cut at 500 of ${full.length.toLocaleString('en')} characters`);
		expect(keyOf(result).offset).toBe(500);
		const {text, pieces} = readAll(result, store, 500);
		expect(text).toBe(full);
		expect(pieces.length).toBe(Math.ceil(full.length / 500));
	});

	it('never splits a surrogate pair at the cut, in the result or in read_output pieces', () => {
		const store = new OutputStore();
		// Every emoji is two UTF-16 code units; an odd bound falls in the middle of one.
		const full = `a${'😀'.repeat(200)}`;
		const result = truncateResult({content: [{type: 'text', text: full}]}, 10, store);
		expect(shownText(result)).toBe(`a${'😀'.repeat(4)}`);
		expect(keyOf(result).offset).toBe(9);
		expect(marker(result)).toContain(`cut at 9 of ${full.length} characters`);
		const {text, pieces} = readAll(result, store, 7);
		expect(text).toBe(full);
		expect(pieces.every(piece => wholeCharacters(piece))).toBe(true);
	});

	it('keeps images, structuredContent, isError, _meta and unknown fields', () => {
		const store = new OutputStore();
		const image = {type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png'};
		const link = {type: 'resource_link', uri: 'file:///a', name: 'a'};
		const result = truncateResult(
			{
				content: [image, {type: 'text', text: 'y'.repeat(50), annotations: {priority: 1}}, link],
				structuredContent: {rows: [1, 2, 3]},
				isError: true,
				_meta: {'probe/trace': 't'},
				extraField: {kept: true},
			},
			20,
			store,
		);
		expect(items(result)).toEqual([
			image,
			{type: 'text', text: 'y'.repeat(20), annotations: {priority: 1}},
			link,
			expect.objectContaining({type: 'text'}),
		]);
		expect(result).toMatchObject({
			structuredContent: {rows: [1, 2, 3]},
			isError: true,
			_meta: {'probe/trace': 't'},
			extraField: {kept: true},
		});
	});

	it('bounds several text items together, and what it shows is the start of their joined text', () => {
		const store = new OutputStore();
		const texts = ['first '.repeat(5), 'second '.repeat(5), 'third '.repeat(5)];
		const full = texts.join('');
		const result = truncateResult({content: texts.map(text => ({type: 'text', text}))}, 40, store);
		// The first item whole, the second cut, the third left for read_output.
		expect(items(result).slice(0, -1)).toEqual([
			{type: 'text', text: texts[0]},
			{type: 'text', text: texts[1]!.slice(0, 40 - texts[0]!.length)},
		]);
		expect(marker(result)).toContain(`cut at 40 of ${full.length} characters`);
		expect(readAll(result, store, 40).text).toBe(full);
	});

	it('shows nothing of later items once a surrogate pair held back the cut of an earlier one', () => {
		const store = new OutputStore();
		const texts = ['abc😀def', 'ghijkl'];
		const result = truncateResult({content: texts.map(text => ({type: 'text', text}))}, 4, store);
		expect(shownText(result)).toBe('abc');
		expect(keyOf(result).offset).toBe(3);
		expect(readAll(result, store, 4).text).toBe(texts.join(''));
	});

	it('gives the rest to read_output even at a bound of one character before an emoji', () => {
		const store = new OutputStore();
		const full = '😀😀x';
		const result = truncateResult({content: [{type: 'text', text: full}]}, 1, store);
		expect(shownText(result)).toBe('');
		expect(readAll(result, store, 1).text).toBe(full);
	});
});

describe('readOutput', () => {
	it('answers an unknown key with isError', () => {
		const result = readOutput(new OutputStore(), 'no-such-key', 0, 100);
		expect(result.isError).toBe(true);
		expect(marker(result)).toContain('No kept output under key "no-such-key"');
	});

	it('answers with isError once the output expired', () => {
		vi.useFakeTimers();
		const store = new OutputStore();
		const result = truncateResult({content: [{type: 'text', text: 'z'.repeat(100)}]}, 10, store);
		const {key} = keyOf(result);
		vi.advanceTimersByTime(OUTPUT_TTL_MS - 1000);
		expect(readOutput(store, key, 10, 10).isError).toBeUndefined();
		vi.advanceTimersByTime(2000);
		expect(readOutput(store, key, 10, 10).isError).toBe(true);
	});

	it('keeps the latest outputs when many were cut', () => {
		const store = new OutputStore();
		const keys = Array.from({length: 150}, (_, index) => store.put(`output ${index}`));
		expect(store.get(keys[0]!)).toBeUndefined();
		expect(store.get(keys.at(-1)!)).toBe('output 149');
	});

	it('clamps an offset past either end', () => {
		const store = new OutputStore();
		const key = store.put('hello world');
		expect(items(readOutput(store, key, -5, 5))[0]!.text).toBe('hello');
		expect(items(readOutput(store, key, 99, 5))).toEqual([{type: 'text', text: ''}]);
	});
});

describe('sliceEnd', () => {
	it('stops before a high surrogate at the bound, and never below the start otherwise', () => {
		expect(sliceEnd('ab😀', 0, 3)).toBe(2);
		expect(sliceEnd('ab😀', 0, 4)).toBe(4);
		expect(sliceEnd('ab😀', 0, 10)).toBe(4);
		expect(sliceEnd('ab😀', 1, 1)).toBe(2);
	});
});
