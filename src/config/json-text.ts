/**
 * Where each value of a JSON text sits, so a file can be edited in place: config files
 * are shared with other tools and people, who should find everything they did not ask us
 * to change exactly as they left it. Only text that `JSON.parse` accepts is scanned.
 */
export type JsonNode = JsonObject | {kind: 'array'; start: number; end: number; items: JsonNode[]} | {kind: 'scalar'; start: number; end: number};

export type JsonObject = {kind: 'object'; start: number; end: number; members: JsonMember[]};

export type JsonMember = {key: string; keyStart: number; keyEnd: number; value: JsonNode};

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];
const BYTE_ORDER_MARK = '\uFEFF';

/** The value of the whole text; offsets index into `text` itself, byte order mark included. */
export function scanJson(text: string): JsonNode {
	const scanner = new Scanner(text);
	scanner.skipWhitespace();
	const root = scanner.value();
	scanner.skipWhitespace();
	if (scanner.offset !== text.length) scanner.fail('text after the value');
	return root;
}

/** The object at `path` (keys from the root), or undefined if any step is missing or not an object. */
export function objectAt(root: JsonNode, path: readonly string[]): JsonObject | undefined {
	let node: JsonNode | undefined = root;
	for (const key of path) {
		node = node.kind === 'object' ? memberOf(node, key)?.value : undefined;
		if (node === undefined) return undefined;
	}
	return node.kind === 'object' ? node : undefined;
}

/** The member `key`; of duplicates the last, the one `JSON.parse` keeps. */
export function memberOf(object: JsonObject, key: string): JsonMember | undefined {
	return object.members.findLast((member) => member.key === key);
}

class Scanner {
	offset: number;

	constructor(private readonly text: string) {
		this.offset = text.startsWith(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK.length : 0;
	}

	fail(what: string): never {
		throw new Error(`JSON scanner: unexpected ${what} at offset ${this.offset}`);
	}

	skipWhitespace(): void {
		while (WHITESPACE.has(this.text[this.offset] ?? '')) this.offset++;
	}

	value(): JsonNode {
		const start = this.offset;
		const char = this.text[start];
		if (char === '{') return this.object();
		if (char === '[') return this.array();
		if (char === '"') {
			this.string();
			return {kind: 'scalar', start, end: this.offset};
		}
		const literal = LITERALS.find((word) => this.text.startsWith(word, start));
		if (literal !== undefined) {
			this.offset += literal.length;
			return {kind: 'scalar', start, end: this.offset};
		}
		NUMBER.lastIndex = start;
		if (!NUMBER.test(this.text)) this.fail(char === undefined ? 'end of text' : `character ${JSON.stringify(char)}`);
		this.offset = NUMBER.lastIndex;
		return {kind: 'scalar', start, end: this.offset};
	}

	/** Skips a string and returns its decoded value; escapes are left to JSON.parse. */
	string(): string {
		const start = this.offset;
		this.offset++;
		for (;;) {
			const char = this.text[this.offset];
			if (char === undefined) this.fail('end of text in a string');
			this.offset += char === '\\' ? 2 : 1;
			if (char === '"') return JSON.parse(this.text.slice(start, this.offset)) as string;
		}
	}

	object(): JsonObject {
		const start = this.offset;
		const members: JsonMember[] = [];
		this.offset++;
		this.skipWhitespace();
		if (this.text[this.offset] === '}') {
			this.offset++;
			return {kind: 'object', start, end: this.offset, members};
		}
		for (;;) {
			if (this.text[this.offset] !== '"') this.fail('character where a key should be');
			const keyStart = this.offset;
			const key = this.string();
			const keyEnd = this.offset;
			this.skipWhitespace();
			this.expect(':');
			this.skipWhitespace();
			members.push({key, keyStart, keyEnd, value: this.value()});
			this.skipWhitespace();
			if (this.closes('}')) return {kind: 'object', start, end: this.offset, members};
		}
	}

	array(): JsonNode {
		const start = this.offset;
		const items: JsonNode[] = [];
		this.offset++;
		this.skipWhitespace();
		if (this.text[this.offset] === ']') {
			this.offset++;
			return {kind: 'array', start, end: this.offset, items};
		}
		for (;;) {
			items.push(this.value());
			this.skipWhitespace();
			if (this.closes(']')) return {kind: 'array', start, end: this.offset, items};
		}
	}

	/** After an item: true past the closing bracket, false past a comma (and the space after it). */
	private closes(bracket: string): boolean {
		const char = this.text[this.offset];
		if (char === bracket) {
			this.offset++;
			return true;
		}
		this.expect(',');
		this.skipWhitespace();
		return false;
	}

	private expect(char: string): void {
		if (this.text[this.offset] !== char) this.fail(`character where "${char}" should be`);
		this.offset++;
	}
}
