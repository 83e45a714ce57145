import assert from 'node:assert/strict';
import { parseApplyResult, parseRemediationPlan, parseRollbackResult } from '@neurocipher/seg-contracts';
import { expectSegError } from './assertions.ts';
import { hook } from './conformance-check.ts';
import type { SubjectCheck } from './conformance-check.ts';

const applyRollback: SubjectCheck = {
  kind: 'subject',
  id: 'remediation.apply-rollback',
  capability: 'remediation',
  requires: ['remediation'],
  title: 'applies idempotently and rolls back to the exact pre-state',
  async run(subject) {
    const remediation = hook(subject.remediation, 'remediation', 'remediation');
    const finding = await hook(subject.remediableFinding, 'remediableFinding()', 'remediation')();
    const before = await subject.inventory.get_config(finding.asset);
    const plan = parseRemediationPlan(await remediation.plan(finding, 'apply'));
    assert.ok(plan.steps.length > 0, 'the plan has no steps');
    const first = parseApplyResult(await remediation.apply(plan));
    assert.equal(first.status, 'success', 'the first apply');
    for (const r of first.results) {
      assert.equal(r.status, 'success', `step ${r.step_index} of the first apply`);
      assert.equal(typeof r.provider_change_id, 'string', `step ${r.step_index} has no provider_change_id`);
    }
    const applied = await subject.inventory.get_config(finding.asset);
    assert.notDeepEqual(applied.body, before.body, 'the apply did not change the config');
    const second = parseApplyResult(await remediation.apply(plan));
    assert.deepEqual(
      second.results.map((r) => r.status),
      plan.steps.map(() => 'skipped'),
      'a second apply of the same plan must skip every step',
    );
    const rb = parseRollbackResult(await remediation.rollback(plan.id));
    assert.equal(rb.status, 'success', 'the rollback');
    const restored = await subject.inventory.get_config(finding.asset);
    assert.deepEqual(restored.body, before.body, 'the rollback did not restore the exact pre-state');
    const rb2 = parseRollbackResult(await remediation.rollback(plan.id));
    assert.deepEqual(
      rb2.results.map((r) => r.status),
      plan.steps.map(() => 'skipped'),
      'a second rollback must skip every step',
    );
  },
};

const dryRun: SubjectCheck = {
  kind: 'subject',
  id: 'remediation.dry-run',
  capability: 'remediation',
  requires: ['remediation'],
  title: 'changes nothing in plan (dry-run) mode, and refuses to apply a dry-run plan',
  async run(subject) {
    const remediation = hook(subject.remediation, 'remediation', 'remediation');
    const finding = await hook(subject.remediableFinding, 'remediableFinding()', 'remediation')();
    const before = await subject.inventory.get_config(finding.asset);
    const plan = parseRemediationPlan(await remediation.plan(finding, 'plan'));
    assert.ok(plan.steps.length > 0, 'the dry-run plan has no steps');
    const after = await subject.inventory.get_config(finding.asset);
    assert.deepEqual(after.body, before.body, 'planning changed the config');
    await expectSegError(remediation.apply(plan), ['SEG_INVALID_ARGUMENT'], 'apply of a dry-run plan', {
      retryable: false,
    });
  },
};

/** The `remediation` suite: idempotent apply, exact rollback, dry-run safety (spec §6.3). */
export const REMEDIATION_CHECKS: readonly SubjectCheck[] = [applyRollback, dryRun];
