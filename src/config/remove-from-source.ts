import {saveEdited} from './edit-config.js';
import type {ImportSource, SourceEntry} from './import-sources.js';
import {isRecord} from './is-record.js';
import {removeMember} from './json-edit.js';

/**
 * Takes `entries` out of the file they were imported from, keeping the rest of it byte for
 * byte, after copying the file to `<file>.bak-<time>`. Returns the copy's path.
 */
export function removeFromSource(source: ImportSource, entries: readonly SourceEntry[], now = new Date()): string {
	if (source.text === undefined) throw new Error(`${source.file} was not read`);
	let text = source.text;
	const expected = structuredClone(source.data);
	for (const {path, name} of entries) {
		text = removeMember(text, path, name);
		const holder = path.reduce<unknown>((value, key) => (isRecord(value) ? value[key] : undefined), expected);
		if (isRecord(holder)) delete holder[name];
	}
	// No colons: scp and Windows shares take them for something else.
	const backup = `${source.file}.bak-${now.toISOString().replaceAll(':', '-')}`;
	saveEdited(source, text, expected, backup);
	return backup;
}
