import {memberOf, objectAt, scanJson, type JsonMember, type JsonObject} from './json-text.js';

/**
 * Edits of one member of a JSON object, made on the text: everything outside the member
 * stays byte for byte, and what is inserted follows the file's own indentation and line
 * ends. Callers check the result by parsing it (see `checkEdit`).
 */

/** Removes every member `key` of the object at `path` (duplicates too, or one would show through). */
export function removeMember(text: string, path: readonly string[], key: string): string {
	let edited = text;
	for (;;) {
		const object = objectAt(scanJson(edited), path);
		const index = object === undefined ? -1 : object.members.findLastIndex((member) => member.key === key);
		if (object === undefined || index === -1) return edited;
		const [from, to] = removalSpan(object, index);
		edited = edited.slice(0, from) + edited.slice(to);
	}
}

/** The text to cut for member `index`, with the comma and white space that separated it. */
function removalSpan(object: JsonObject, index: number): [number, number] {
	const {members} = object;
	const member = members[index]!;
	const next = members[index + 1];
	const previous = members[index - 1];
	// The next member moves into this one's place, keeping the indentation before it.
	if (next !== undefined) return [member.keyStart, next.keyStart];
	if (previous !== undefined) return [previous.value.end, member.value.end];
	return [object.start + 1, object.end - 1];
}

/**
 * Sets member `key` of the object at `path` to `value`: in place if it exists, else
 * appended. A missing object on the path is created in its parent.
 */
export function setMember(text: string, path: readonly string[], key: string, value: unknown): string {
	const root = scanJson(text);
	const object = objectAt(root, path);
	if (object === undefined) {
		const parent = path.at(-1);
		if (parent === undefined) throw new Error('setMember: the JSON text is not an object');
		return setMember(text, path.slice(0, -1), parent, {[key]: value});
	}
	const layout = layoutOf(text);
	const existing = memberOf(object, key);
	if (existing !== undefined) {
		const valueText = render(value, lineIndent(text, existing.keyStart), layout);
		return splice(text, existing.value.start, existing.value.end, valueText);
	}
	const last = object.members.at(-1);
	if (last === undefined) {
		if (layout.unit === '') return splice(text, object.start, object.end, `{${JSON.stringify(key)}:${JSON.stringify(value)}}`);
		const outer = leadingWhitespace(text, object.start);
		const inner = outer + layout.unit;
		const member = `${JSON.stringify(key)}: ${render(value, inner, layout)}`;
		return splice(text, object.start, object.end, `{${layout.eol}${inner}${member}${layout.eol}${outer}}`);
	}
	const colon = text.slice(last.keyEnd, last.value.start);
	const member = `${separatorOf(text, object, last, colon)}${JSON.stringify(key)}${colon}${render(value, lineIndent(text, last.keyStart), layout)}`;
	return splice(text, last.value.end, last.value.end, member);
}

/** What goes between two members: reusing what is there keeps one-line, compact and indented objects alike. */
function separatorOf(text: string, object: JsonObject, last: JsonMember, colon: string): string {
	const beforeLast = object.members.at(-2);
	if (beforeLast !== undefined) return text.slice(beforeLast.value.end, last.keyStart);
	const before = text.slice(object.start + 1, last.keyStart);
	// A lone member on the brace's line gives no example: space as after its colon.
	return before.includes('\n') ? `,${before}` : `,${colon.endsWith(' ') ? ' ' : ''}`;
}

type Layout = {eol: string; unit: string};

/** The file's line end and indentation step; a file on one line gets compact JSON (unit ''). */
function layoutOf(text: string): Layout {
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	if (!text.includes('\n')) return {eol, unit: ''};
	return {eol, unit: /^([ \t]+)\S/m.exec(text)?.[1] ?? '  '};
}

/** `value` as JSON whose continuation lines start at `indent`; on one line where the member shares its line. */
function render(value: unknown, indent: string | undefined, layout: Layout): string {
	if (indent === undefined || layout.unit === '') return JSON.stringify(value);
	return JSON.stringify(value, null, layout.unit).split('\n').join(layout.eol + indent);
}

/** The white space before `offset` on its line, or undefined if something else precedes it there. */
function lineIndent(text: string, offset: number): string | undefined {
	const before = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
	return /^[ \t]*$/.test(before) ? before : undefined;
}

function leadingWhitespace(text: string, offset: number): string {
	const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
	return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

function splice(text: string, from: number, to: number, insert: string): string {
	return text.slice(0, from) + insert + text.slice(to);
}

/**
 * Guards every in-place edit: the edited text must parse to exactly `expected` (key order
 * included), else the edit is refused before anything is written.
 */
export function checkEdit(edited: string, expected: unknown, file: string): void {
	const json = edited.startsWith('\uFEFF') ? edited.slice(1) : edited;
	let actual: string;
	try {
		actual = JSON.stringify(JSON.parse(json));
	} catch {
		actual = '';
	}
	if (actual !== JSON.stringify(expected)) {
		throw new Error(`editing ${file} in place went wrong, so nothing was written; please report this with a copy of the file`);
	}
}
