import { ClaimBudget, MIN_PAIRS_PER_TICK } from './claim-budget';

describe('ClaimBudget', () => {
  it('fits the pairs in what is left of the budget, within the cap', () => {
    const budget = new ClaimBudget(800, 2000);
    budget.observe(1000, 100); // 0.1 ms a pair, averaged with the first guess (0.4)
    expect(budget.estimatedMsPerPair).toBe(0.25);
    expect(budget.pairs(550)).toBe(1000);
    expect(budget.pairs(100)).toBe(2000);
  });

  it('believes a dearer claim at once and a cheaper one half-way', () => {
    const budget = new ClaimBudget(800, 2000);
    budget.observe(1000, 500);
    expect(budget.estimatedMsPerPair).toBe(0.5);
    budget.observe(1000, 300);
    expect(budget.estimatedMsPerPair).toBe(0.4);
  });

  it('still claims the longest waiters’ pairs when the budget is spent', () => {
    expect(new ClaimBudget(800, 2000).pairs(950)).toBe(MIN_PAIRS_PER_TICK);
    expect(new ClaimBudget(800, 50).pairs(950)).toBe(50);
  });

  it('learns nothing from small claims, and has no limit with a budget and a cap of 0', () => {
    const budget = new ClaimBudget(800, 0);
    budget.observe(10, 500);
    expect(budget.estimatedMsPerPair).toBe(0.4);
    expect(new ClaimBudget(0, 0).pairs(5000)).toBe(Infinity);
    expect(new ClaimBudget(0, 2000).pairs(5000)).toBe(2000);
  });
});
