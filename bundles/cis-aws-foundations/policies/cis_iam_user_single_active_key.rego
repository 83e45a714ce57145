# METADATA
# title: IAM users have at most one active access key
# description: >-
#   Each IAM user may hold at most the configured number of active access keys (1 by default).
# scope: package
# custom:
#   id: cis-iam-user-single-active-key
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - iam-user
#   frameworks:
#     cis_aws_v3: "1.13"
#   inputs:
#     type: object
#     properties:
#       max_active_keys:
#         type: integer
#         minimum: 1
#         maximum: 2
#         default: 1
#     additionalProperties: false
#   rationale: >-
#     A second active key doubles the credentials that can leak and hides which key a
#     workload really uses; one key plus rotation is enough.
#   remediation_guidance: >-
#     Deactivate the older active key with iam:UpdateAccessKey Status=Inactive after checking
#     that no workload still uses it. Rollback sets it Active again.
package seg.controls.cis_iam_user_single_active_key

_kind := "iam-user"

_config := c if {
	c := input.config
} else := null

_asset_kind := k if {
	k := input.asset.kind
} else := null

# Value at key, or null when the key or its parent is absent (keeps negated checks defined).
_at(x, key) := v if {
	v := x[key]
} else := null

_params := p if {
	p := input.params
	is_object(p)
} else := {}

_max := object.get(_params, "max_active_keys", 1)

_active := [i | some i, k in input.config.access_keys; k.status == "Active"]

default result := {
	"result": "error",
	"message": "input is malformed: the control could not evaluate it",
	"evidence": [],
}

result := {
	"result": "not_applicable",
	"message": concat("", ["control applies to ", _kind, " assets, not ", input.asset.kind]),
	"evidence": [],
} if {
	is_string(input.asset.kind)
	input.asset.kind != _kind
} else := {
	"result": "error",
	"message": concat("; ", sort(_errors)),
	"evidence": [],
} if {
	count(_errors) > 0
} else := {
	"result": "pass",
	"message": concat("", [
		"user ", input.config.user_name, " has ", format_int(count(_active), 10),
		" active access key(s); at most ", format_int(_max, 10), " allowed",
	]),
	"evidence": [{"path": "/access_keys", "media_type": "application/json"}],
} if {
	count(_active) <= _max
} else := {
	"result": "fail",
	"message": concat("", [
		"user ", input.config.user_name, " has ", format_int(count(_active), 10),
		" active access keys; at most ", format_int(_max, 10), " allowed",
	]),
	"evidence": [{"path": concat("", ["/access_keys/", format_int(i, 10)]), "media_type": "application/json"} | some i in _active],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "params.max_active_keys must be a number" if not is_number(_max)

_errors contains "config.user_name must be a string" if not is_string(_at(_config, "user_name"))

_errors contains "config.access_keys must be an array" if not is_array(_at(_config, "access_keys"))

_errors contains "config.access_keys[].status must be a string" if {
	some k in input.config.access_keys
	not is_string(k.status)
}
