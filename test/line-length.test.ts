import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';

/** biome.json's lineWidth: the formatter wraps code there, and this keeps strings and comments to it too. */
const LIMIT = 140;
/** How wide a tab counts, as biome.json's indentWidth says. */
const TAB = '  ';

it(`keeps every line of the TypeScript sources within ${LIMIT} columns`, () => {
	const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], {encoding: 'utf8'})
		.split('\n')
		.filter(file => file !== '' && !file.startsWith('dist/'));
	const long = files.flatMap(file =>
		readFileSync(file, 'utf8')
			.split('\n')
			.flatMap((line, index) => (line.replaceAll('\t', TAB).length > LIMIT ? [`${file}:${index + 1}`] : [])),
	);
	expect(files.length).toBeGreaterThan(50);
	expect(long).toEqual([]);
});
