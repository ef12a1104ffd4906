import {findNodeAtLocation, parseTree, type Node} from 'jsonc-parser';
import {parseJsonText} from '../shared/json-file.js';

/**
 * Edits of one member of a JSON object, made on the text: config files are shared with other
 * tools and people, who should find everything they did not ask us to change exactly as they
 * left it. jsonc-parser finds the members; the edits are cut and laid out here, as its
 * `modify` would reformat the neighbouring members. Callers check the result by parsing it
 * (see `checkEdit`).
 */

const PARSE_OPTIONS = {disallowComments: true, allowTrailingComma: false};

/** The object node at `path`, or undefined if any step is missing or not an object. */
function objectAt(text: string, path: readonly string[]): Node | undefined {
	const root = parseTree(text, [], PARSE_OPTIONS);
	const node = root === undefined ? undefined : findNodeAtLocation(root, [...path]);
	return node?.type === 'object' ? node : undefined;
}

/** The property nodes of `object` named `key`. */
function membersNamed(object: Node, key: string): Node[] {
	return (object.children ?? []).filter(member => member.children?.[0]?.value === key);
}

/** Removes every member `key` of the object at `path` (duplicates too, or one would show through). */
export function removeMember(text: string, path: readonly string[], key: string): string {
	let edited = text;
	for (;;) {
		const object = objectAt(edited, path);
		const members = object?.children ?? [];
		const index = members.findLastIndex(member => member.children?.[0]?.value === key);
		if (object === undefined || index === -1) return edited;
		const [from, to] = removalSpan(object, members, index);
		edited = splice(edited, from, to, '');
	}
}

/**
 * The text to cut for member `index`, with the comma and white space that separated it. Not
 * jsonc-parser's `modify`: removing a first member, it also takes the line break before it.
 */
function removalSpan(object: Node, members: Node[], index: number): [number, number] {
	const member = members[index]!;
	const next = members[index + 1];
	const previous = members[index - 1];
	// The next member moves into this one's place, keeping the indentation before it.
	if (next !== undefined) return [member.offset, next.offset];
	if (previous !== undefined) return [end(previous), end(member)];
	return [object.offset + 1, end(object) - 1];
}

/**
 * Sets member `key` of the object at `path` to `value`: in place if it exists, else
 * appended. A missing object on the path is created in its parent.
 */
export function setMember(text: string, path: readonly string[], key: string, value: unknown): string {
	const object = objectAt(text, path);
	if (object === undefined) {
		const parent = path.at(-1);
		if (parent === undefined) throw new Error('setMember: the JSON text is not an object');
		return setMember(text, path.slice(0, -1), parent, {[key]: value});
	}
	const layout = layoutOf(text);
	const members = object.children ?? [];
	const existing = membersNamed(object, key).at(-1);
	if (existing !== undefined) {
		const [name, old] = existing.children as [Node, Node];
		return splice(text, old.offset, end(old), render(value, lineIndent(text, name.offset), layout));
	}
	const last = members.at(-1);
	if (last === undefined) {
		if (layout.unit === '') return splice(text, object.offset, end(object), `{${JSON.stringify(key)}:${JSON.stringify(value)}}`);
		const outer = leadingWhitespace(text, object.offset);
		const inner = outer + layout.unit;
		const member = `${JSON.stringify(key)}: ${render(value, inner, layout)}`;
		return splice(text, object.offset, end(object), `{${layout.eol}${inner}${member}${layout.eol}${outer}}`);
	}
	const [lastName, lastValue] = last.children as [Node, Node];
	const colon = text.slice(end(lastName), lastValue.offset);
	const separator = separatorOf(text, object, members, colon);
	return splice(
		text,
		end(lastValue),
		end(lastValue),
		`${separator}${JSON.stringify(key)}${colon}${render(value, lineIndent(text, lastName.offset), layout)}`,
	);
}

function end(node: Node): number {
	return node.offset + node.length;
}

/** What goes between two members: reusing what is there keeps one-line, compact and indented objects alike. */
function separatorOf(text: string, object: Node, members: Node[], colon: string): string {
	const [beforeLast, last] = members.slice(-2);
	if (last !== undefined && beforeLast !== undefined) return text.slice(end(beforeLast), last.offset);
	const before = text.slice(object.offset + 1, members[0]!.offset);
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
	return JSON.stringify(value, null, layout.unit)
		.split('\n')
		.join(layout.eol + indent);
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
	const parsed = parseJsonText(edited);
	if (!parsed.ok || JSON.stringify(parsed.value) !== JSON.stringify(expected)) {
		throw new Error(`editing ${file} in place went wrong, so nothing was written; please report this with a copy of the file`);
	}
}
