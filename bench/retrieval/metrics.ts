import type {Judgement} from './corpus.js';

/**
 * Ranking quality of one query, from the tools returned (best first) and the graded judgements.
 * Grade 2 is exactly right, grade 1 acceptable.
 */
export type QueryScores = {
	/** recall@k capped: exactly-right tools in the top k over min(k, how many there are); 1 when the top k is all that could be asked. */
	readonly recall1: number;
	readonly recall5: number;
	readonly recall10: number;
	/** 1 / rank of the first exactly-right tool, 0 when none is returned. */
	readonly reciprocalRank: number;
	/** nDCG@10 with gain 2^grade − 1 (3 for exactly right, 1 for acceptable) and a log2 discount. */
	readonly ndcg10: number;
};

export function scoreQuery(ranked: readonly string[], judgements: readonly Judgement[]): QueryScores {
	const grades = new Map(judgements.map(judgement => [judgement.tool, judgement.grade]));
	const exact = judgements.filter(judgement => judgement.grade === 2).map(judgement => judgement.tool);
	const recall = (k: number) => {
		const found = ranked.slice(0, k).filter(name => grades.get(name) === 2).length;
		return exact.length === 0 ? 0 : found / Math.min(k, exact.length);
	};

	const first = ranked.findIndex(name => grades.get(name) === 2);
	const gain = (grade: number) => 2 ** grade - 1;
	const dcg = ranked.slice(0, 10).reduce((sum, name, index) => sum + gain(grades.get(name) ?? 0) / Math.log2(index + 2), 0);
	const ideal = [...grades.values()]
		.sort((a, b) => b - a)
		.slice(0, 10)
		.reduce((sum, grade, index) => sum + gain(grade) / Math.log2(index + 2), 0);
	return {
		recall1: recall(1),
		recall5: recall(5),
		recall10: recall(10),
		reciprocalRank: first < 0 ? 0 : 1 / (first + 1),
		ndcg10: ideal === 0 ? 0 : dcg / ideal,
	};
}

export function meanScores(all: readonly QueryScores[]): QueryScores {
	const mean = (pick: (scores: QueryScores) => number) => all.reduce((sum, scores) => sum + pick(scores), 0) / Math.max(1, all.length);
	return {
		recall1: mean(scores => scores.recall1),
		recall5: mean(scores => scores.recall5),
		recall10: mean(scores => scores.recall10),
		reciprocalRank: mean(scores => scores.reciprocalRank),
		ndcg10: mean(scores => scores.ndcg10),
	};
}
