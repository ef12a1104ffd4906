import {printParseErrorCode, visit, type ParseErrorCode} from 'jsonc-parser';
import {isRecord} from './is-record.js';
import {errorCode, readTextIfExists} from './text-file.js';

// Editors on Windows may save a byte order mark, which JSON.parse rejects.
const BYTE_ORDER_MARK = '\uFEFF';

/** `text` without the byte order mark an editor may have put before the JSON. */
function withoutByteOrderMark(text: string): string {
	return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
}

/** Why a text is not JSON, and where (1-based); no place in the unlikely case that only `JSON.parse` objects. */
export type JsonSyntaxError = {problem: string; line?: number; column?: number};

export type JsonParse = {ok: true; value: unknown} | ({ok: false} & JsonSyntaxError);

/** The start of each word a JSON value may be, so a misspelt one is faulted where it stops matching. */
const LITERALS = ['true', 'false', 'null'];

// Keyed by name: the codes are a const enum, which isolated modules cannot read.
const PROBLEMS: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
	InvalidNumberFormat: 'invalid number',
	PropertyNameExpected: 'expected double-quoted property name',
	ValueExpected: 'expected a value',
	ColonExpected: "expected ':' after property name",
	CommaExpected: "expected ',' between items",
	CloseBraceExpected: "expected ',' or '}'",
	CloseBracketExpected: "expected ',' or ']'",
	EndOfFileExpected: 'unexpected text after the JSON value',
	InvalidCommentToken: 'unexpected comment',
	UnexpectedEndOfString: 'unterminated string',
	UnexpectedEndOfNumber: 'unfinished number',
	UnexpectedEndOfComment: 'unterminated comment',
	InvalidUnicode: 'bad \\u escape in a string',
	InvalidEscapeCharacter: 'bad escaped character in a string',
	InvalidCharacter: 'bad control character in a string',
};

/**
 * Parses JSON text the way `JSON.parse` does (it alone decides what is valid, so keys like
 * `__proto__` and big numbers read the same everywhere), after a byte order mark. On a syntax
 * error, jsonc-parser, which is strict with the options below, tells where and what.
 */
export function parseJsonText(text: string): JsonParse {
	const json = withoutByteOrderMark(text);
	try {
		return {ok: true, value: JSON.parse(json)};
	} catch (error) {
		if (!(error instanceof SyntaxError)) throw error;
		return {
			ok: false,
			...(syntaxError(json) ?? {problem: error.message.charAt(0).toLowerCase() + error.message.slice(1)}),
		};
	}
}

function syntaxError(json: string): JsonSyntaxError | undefined {
	let found: {code: ParseErrorCode; offset: number; length: number} | undefined;
	visit(json, {onError: (code, offset, length) => (found ??= {code, offset, length})}, {disallowComments: true, allowTrailingComma: false});
	if (found === undefined) return undefined;
	const {code, offset, length} = found;
	if (json.slice(offset).trim() === '') return {problem: 'unexpected end of JSON input', ...locate(json, json.length)};
	if (printParseErrorCode(code) === 'InvalidSymbol') {
		const at = offset + misspeltLength(json.slice(offset, offset + length));
		return {problem: `unexpected token '${json[at]}'`, ...locate(json, at)};
	}
	return {problem: PROBLEMS[printParseErrorCode(code)] ?? 'not valid', ...locate(json, offset)};
}

/** How far `word` goes as the start of `true`, `false` or `null`: the next character is the wrong one. */
function misspeltLength(word: string): number {
	let length = 0;
	while (length < word.length && LITERALS.some(literal => literal.startsWith(word.slice(0, length + 1)))) length++;
	return Math.min(length, word.length - 1);
}

function locate(text: string, offset: number): {line: number; column: number} {
	const before = text.slice(0, offset);
	const lineStart = before.lastIndexOf('\n') + 1;
	return {line: before.split('\n').length, column: offset - lineStart + 1};
}

export type JsonObjectRead = {text: string; data: Record<string, unknown>} | {missing: true} | {error: string};

/**
 * A JSON object file read to look into, not to edit: a file that cannot be read, or holds no
 * object, is reported as a sentence naming it, never thrown.
 */
export function readJsonObject(file: string): JsonObjectRead {
	let text: string | undefined;
	try {
		text = readTextIfExists(file);
	} catch (error) {
		const code = errorCode(error);
		return code === 'ENOTDIR' ? {missing: true} : {error: `${file} cannot be read (${code})`};
	}
	if (text === undefined) return {missing: true};
	const parsed = parseJsonText(text);
	if (!parsed.ok) return {error: `${file} is not valid JSON (${describeSyntaxError(parsed)})`};
	return isRecord(parsed.value) ? {text, data: parsed.value} : {error: `${file} is not a JSON object`};
}

/** "line 3, column 29: expected a value", or the problem alone when it has no place. */
export function describeSyntaxError({problem, line, column}: JsonSyntaxError): string {
	return line === undefined ? problem : `line ${line}, column ${column}: ${problem}`;
}
