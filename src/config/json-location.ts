export type TextLocation = {line: number; column: number};

/** V8 shows this many characters either side of an unexpected token (json-parser.cc). */
const CONTEXT_CHARS = 10;
const AT_POSITION = / in JSON at position (\d+)/;
const UNEXPECTED_TOKEN = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/;

/**
 * Where `JSON.parse(text)` failed, from the message of the SyntaxError it threw. Most V8
 * messages say "at position N"; the "Unexpected token" ones instead quote the text around
 * the token, from which the position is worked back. Undefined when neither tells.
 */
export function jsonErrorLocation(text: string, message: string): TextLocation | undefined {
	const offset = errorOffset(text, message);
	return offset === undefined ? undefined : locate(text, offset);
}

/** The parser's own complaint, without the position or quoted text that the location replaces. */
export function jsonErrorProblem(message: string): string {
	const problem = message.replace(AT_POSITION, '').replace(/ \(line \d+ column \d+\)$/, '').replace(/, (\.\.\.)?"[\s\S]*$/, '');
	return problem.charAt(0).toLowerCase() + problem.slice(1);
}

function errorOffset(text: string, message: string): number | undefined {
	const position = AT_POSITION.exec(message);
	if (position?.[1] !== undefined) return Number(position[1]);
	if (message === 'Unexpected end of JSON input') return text.length;
	const unexpected = UNEXPECTED_TOKEN.exec(message);
	if (unexpected === null) return undefined;
	const [, token, cutBefore, quoted = '', cutAfter] = unexpected;
	if (cutBefore && cutAfter) return surroundedOffset(text, quoted, token);
	if (cutBefore) return text.length - quoted.length + CONTEXT_CHARS;
	if (cutAfter) return quoted.length - CONTEXT_CHARS;
	// A short text is quoted whole: the token is only found if it occurs once.
	const first = text.indexOf(token ?? '');
	return first !== -1 && first === text.lastIndexOf(token ?? '') ? first : undefined;
}

function surroundedOffset(text: string, quoted: string, token: string | undefined): number | undefined {
	for (let start = text.indexOf(quoted); start !== -1; start = text.indexOf(quoted, start + 1)) {
		if (text[start + CONTEXT_CHARS] === token) return start + CONTEXT_CHARS;
	}
	return undefined;
}

function locate(text: string, offset: number): TextLocation {
	const before = text.slice(0, offset);
	const lineStart = before.lastIndexOf('\n') + 1;
	return {line: before.split('\n').length, column: offset - lineStart + 1};
}
