import { errorCodeLabel, LabelBudget, methodLabel, operationLabel, routeLabel, statusClass } from './labels';
import { configureTenantLabels, countTenantRequest, tenantRequests } from './metrics';

describe('metric labels are bounded', () => {
  it('maps free-form request data onto small fixed sets', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
    expect(statusClass(204)).toBe('2xx');
    expect(statusClass(503)).toBe('5xx');
    expect(statusClass(999)).toBe('other');
    expect(operationLabel('mutation')).toBe('mutation');
    expect(operationLabel(undefined)).toBe('none');
    expect(operationLabel('MyQueryName')).toBe('unknown');
    expect(routeLabel('/theme/*')).toBe('/theme/*');
    expect(routeLabel(undefined)).toBe('unmatched');
    expect(routeLabel('/a b"}')).toBe('other');
  });

  it('a budget admits the first N values and then answers the overflow value', () => {
    const budget = new LabelBudget(2);
    expect(['a', 'b', 'a', 'c', 'd', 'b'].map((v) => budget.admit(v))).toEqual([
      'a',
      'b',
      'a',
      'other',
      'other',
      'b',
    ]);
    expect(budget.size).toBe(2);
    const codes = new LabelBudget(1, 'OTHER');
    expect(errorCodeLabel('NOT_FOUND', codes)).toBe('NOT_FOUND');
    expect(errorCodeLabel('CONFLICT', codes)).toBe('OTHER');
    expect(errorCodeLabel('<script>', codes)).toBe('OTHER');
    expect(errorCodeLabel(42, codes)).toBe('OTHER');
  });

  it('an all-or-nothing budget closes for good once exceeded', () => {
    const budget = new LabelBudget(2, null);
    expect([budget.admit('a'), budget.admit('b'), budget.admit('c')]).toEqual(['a', 'b', null]);
    expect(budget.exhausted).toBe(true);
    expect(budget.admit('a')).toBeNull();
  });

  it('per-tenant series exist up to the budget and are dropped entirely past it', async () => {
    configureTenantLabels(3);
    for (const t of ['t1', 't2', 't3', 't1']) countTenantRequest(t);
    let values = (await tenantRequests.get()).values;
    expect(values.map((v) => [v.labels.tenant, v.value])).toEqual([
      ['t1', 2],
      ['t2', 1],
      ['t3', 1],
    ]);
    countTenantRequest('t4');
    countTenantRequest('t1');
    values = (await tenantRequests.get()).values;
    expect(values).toEqual([]);
    configureTenantLabels(0);
    countTenantRequest('t1');
    expect((await tenantRequests.get()).values).toEqual([]);
  });
});
