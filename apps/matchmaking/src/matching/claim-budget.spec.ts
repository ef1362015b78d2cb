import { ClaimBudget, MIN_PAIRS_PER_TICK } from './claim-budget';

describe('ClaimBudget', () => {
  it('fits the pairs in what is left of the budget, within the cap', () => {
    const budget = new ClaimBudget(800, 2000);
    expect(budget.pairs(0)).toBe(2000); // the first guess, 0.4 ms a pair: 2,000 fit
    expect(budget.pairs(400)).toBe(1000);
    budget.observe(1000, 250); // measured: 0.25 ms a pair
    expect(budget.estimatedMsPerPair).toBe(0.25);
    expect(budget.pairs(550)).toBe(1000);
    expect(budget.pairs(100)).toBe(2000);
  });

  it('plans with the dearest of the last 8 claims', () => {
    const budget = new ClaimBudget(800, 2000);
    budget.observe(1000, 500);
    for (let i = 0; i < 7; i++) budget.observe(1000, 250);
    expect(budget.estimatedMsPerPair).toBe(0.5);
    expect(budget.pairs(300)).toBe(1000);
    budget.observe(1000, 250); // the dear claim is now 9 claims ago
    expect(budget.estimatedMsPerPair).toBe(0.25);
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
