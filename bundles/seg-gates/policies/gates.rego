# METADATA
# title: Approval gates for remediation actions
# description: >-
#   Whether the tenant's rollout phase allows a plan, apply or rollback, and which roles must approve it,
#   from the plan's risk, control, step actions and blast radius and the asset's environment tags.
#   Every threshold, role and tag is data (data.seg.gate_rules); a malformed input or configuration is
#   refused, never allowed.
# scope: package
package seg.gates

_cfg := data.seg.gate_rules

_actions := {"plan", "apply", "rollback"}

# The decision (docs/bundles.md, "Gates bundles"): allow is false exactly when deny lists a reason.
decision := {
	"allow": count(_deny) == 0,
	"deny": sort(_deny),
	"required": _required,
	"distinct_approvers": _distinct_approvers,
}

_deny := (_invalid_config | _invalid_input) | _phase_deny

# Configuration checks: a gates bundle whose data is incomplete refuses everything. Each check is
# `not <helper rule>`, never `not f(<ref>)`: opa evaluates the reference outside the negation, so when it
# is undefined the whole check is undefined and would not fire (fail open).

_invalid_config contains "gates data: seg.gate_rules.phases must map phases to {name, actions, approvals, apply_max_risk?}" if {
	not _phases_valid
}

_invalid_config contains "gates data: seg.gate_rules.risk_levels must be a list" if {
	not _risk_levels_valid
}

_invalid_config contains "gates data: seg.gate_rules.approval_actions must be a list" if {
	not _approval_actions_valid
}

_invalid_config contains "gates data: seg.gate_rules.approval_rules must be a list of rules with a role and known conditions" if {
	not _rules_valid
}

_invalid_config contains "gates data: seg.gate_rules.production needs tag_keys and tag_values lists" if {
	not _production_valid
}

_invalid_config contains "gates data: seg.gate_rules.min_distinct_approvers must map risks to numbers" if {
	not _minimums_valid
}

_invalid_config contains "gates data: seg.gate_rules.extra_approver_role must be a role" if {
	not _extra_role_valid
}

_phases_valid if {
	is_object(_cfg.phases)
	every phase in _cfg.phases {
		is_string(phase.name)
		is_array(phase.actions)
		is_boolean(phase.approvals)
		every key, _ in phase {
			key in {"name", "actions", "apply_max_risk", "approvals"}
		}
		object.get(phase, "apply_max_risk", _cfg.risk_levels[0]) in _cfg.risk_levels
	}
}

_risk_levels_valid if {
	is_array(_cfg.risk_levels)
	count(_cfg.risk_levels) > 0
}

_approval_actions_valid if is_array(_cfg.approval_actions)

_rule_keys := {"role", "step_action_prefixes", "risks", "control_ids", "production", "dependents_above"}

# A rule with an unknown key (a typo) would silently never trigger: refuse it.
_rules_valid if {
	is_array(_cfg.approval_rules)
	every rule in _cfg.approval_rules {
		_is_role(rule.role)
		every key, _ in rule {
			key in _rule_keys
		}
	}
}

_production_valid if {
	is_array(_cfg.production.tag_keys)
	is_array(_cfg.production.tag_values)
}

_minimums_valid if {
	is_object(_cfg.min_distinct_approvers)
	every n in _cfg.min_distinct_approvers {
		is_number(n)
	}
}

_extra_role_valid if _is_role(_cfg.extra_approver_role)

_is_role(role) if {
	is_string(role)
	role != ""
}

# Input checks: the engine validates its input first; the policy does too, and refuses what it cannot read.

_invalid_input contains "invalid input: action must be plan, apply or rollback" if {
	not _action_valid
}

_invalid_input contains "invalid input: plan.estimated_risk must be one of the risk levels" if {
	not _risk_valid
}

_invalid_input contains "invalid input: plan.control_id must be a string" if {
	not _control_valid
}

_invalid_input contains "invalid input: plan.steps must be a list of steps with a string action" if {
	not _steps_valid
}

_invalid_input contains "invalid input: plan.blast_radius.dependents must be a number" if {
	not _dependents_valid
}

_invalid_input contains "invalid input: asset.tags must be an object of strings" if {
	not _tags_valid
}

_invalid_input contains "invalid input: tenant.rollout_phase must be a number" if {
	not _rollout_phase_valid
}

_invalid_input contains "invalid input: approvals must be a list" if {
	not _approvals_valid
}

_action_valid if input.action in _actions

_risk_valid if input.plan.estimated_risk in _cfg.risk_levels

_control_valid if is_string(input.plan.control_id)

_steps_valid if {
	is_array(input.plan.steps)
	every step in input.plan.steps {
		is_string(step.action)
	}
}

_dependents_valid if is_number(input.plan.blast_radius.dependents)

_tags_valid if {
	is_object(input.asset.tags)
	every value in input.asset.tags {
		is_string(value)
	}
}

_rollout_phase_valid if is_number(input.tenant.rollout_phase)

_approvals_valid if is_array(object.get(input, "approvals", []))

# Rollout phases (spec §16): which actions a phase allows, and the highest risk it applies.

_phase := p if {
	some key, p in _cfg.phases
	to_number(key) == input.tenant.rollout_phase
}

_phase_label := concat("", ["rollout phase ", json.marshal(input.tenant.rollout_phase), ": ", _phase.name])

_phase_deny contains msg if {
	is_number(input.tenant.rollout_phase)
	not _phase
	msg := concat("", ["rollout phase ", json.marshal(input.tenant.rollout_phase), " is not configured"])
}

_phase_deny contains _phase_label if {
	_action_valid
	not _action_allowed
}

# A risk above the phase's apply_max_risk (default: the highest level), or one the policy cannot rank, is refused.
_phase_deny contains msg if {
	input.action == "apply"
	_action_allowed
	not _within_risk_ceiling
	msg := concat("", [_phase_label, " (plan risk is ", input.plan.estimated_risk, ")"])
}

_action_allowed if input.action in _phase.actions

_within_risk_ceiling if {
	ceiling := object.get(_phase, "apply_max_risk", _cfg.risk_levels[count(_cfg.risk_levels) - 1])
	_risk_rank(input.plan.estimated_risk) <= _risk_rank(ceiling)
}

_risk_rank(risk) := i if {
	some i, level in _cfg.risk_levels
	level == risk
}

# Approval gates (spec §15): in a phase with approvals, the actions listed in approval_actions need the
# role of every approval rule that the plan or asset triggers.

_gated if {
	input.action in _cfg.approval_actions
	_phase.approvals == true
}

_roles contains rule.role if {
	_gated
	some rule in _cfg.approval_rules
	_triggers(rule)
}

_triggers(rule) if {
	some prefix in object.get(rule, "step_action_prefixes", [])
	some step in input.plan.steps
	startswith(lower(step.action), lower(prefix))
}

_triggers(rule) if {
	input.plan.estimated_risk in object.get(rule, "risks", [])
}

_triggers(rule) if {
	input.plan.control_id in object.get(rule, "control_ids", [])
}

_triggers(rule) if {
	object.get(rule, "production", false) == true
	_production
}

_triggers(rule) if {
	is_number(rule.dependents_above)
	is_number(input.plan.blast_radius.dependents)
	input.plan.blast_radius.dependents > rule.dependents_above
}

_production if {
	keys := {lower(k) | some k in _cfg.production.tag_keys}
	values := {lower(v) | some v in _cfg.production.tag_values}
	some key, value in input.asset.tags
	lower(key) in keys
	lower(value) in values
}

# How many distinct people must approve: one per required role, and at least the risk's minimum; the
# approvals beyond one per role go to extra_approver_role.

default _minimum := 0

_minimum := n if {
	_gated
	n := _cfg.min_distinct_approvers[input.plan.estimated_risk]
}

_distinct_approvers := max([count(_roles), _minimum])

_extra := _distinct_approvers - count(_roles)

_slot_roles := _roles | {role | some role in [_cfg.extra_approver_role]; _extra > 0}

_required := [{"role": role, "count": n} |
	some role in sort(_slot_roles)
	n := count({role} & _roles) + (count({role} & {_cfg.extra_approver_role}) * _extra)
]
