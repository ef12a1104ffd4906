import type {CheckResult, Verdict} from '../doctor/check.js';
import {plural} from '../shared/plural.js';
import {wrapText} from './table.js';

const LABEL: Record<Verdict, string> = {ok: 'ok  ', warn: 'warn', fail: 'FAIL'};
const INDENT = '        ';

export type DoctorReport = {ok: boolean; failures: number; warnings: number; checks: CheckResult[]};

export function summarize(checks: CheckResult[]): DoctorReport {
	const failures = checks.filter(check => check.verdict === 'fail').length;
	const warnings = checks.filter(check => check.verdict === 'warn').length;
	return {ok: failures === 0, failures, warnings, checks};
}

function wrapped(first: string, text: string, width: number): string[] {
	const lines = wrapText(text, Math.max(width - INDENT.length, 40));
	return lines.map((line, index) => (index === 0 ? `${first}${line}` : `${INDENT}${line}`));
}

/** The report for people: a verdict per check, what was found, and the fix to run or make. */
export function formatReport(report: DoctorReport, width: number): string {
	const lines: string[] = [];
	for (const check of report.checks) {
		lines.push(...wrapped(`  ${LABEL[check.verdict]}  `, `${check.title}: ${check.detail}`, width));
		for (const line of check.output ?? []) {
			lines.push(`${INDENT}${line}`);
		}

		if (check.fix !== undefined && check.verdict !== 'ok') {
			lines.push(...wrapped(`${INDENT}fix: `, check.fix, width - 5));
		}
	}

	const counts = [
		...(report.failures > 0 ? [`${report.failures} failed`] : []),
		...(report.warnings > 0 ? [plural(report.warnings, 'warning')] : []),
		`${report.checks.length - report.failures - report.warnings} ok`,
	];
	lines.push('', `${counts.join(', ')}.`);
	return `${lines.join('\n')}\n`;
}
