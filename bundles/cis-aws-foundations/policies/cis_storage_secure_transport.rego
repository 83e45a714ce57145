# METADATA
# title: S3 bucket policy denies requests made without TLS
# description: >-
#   The bucket policy must contain a Deny statement for every principal ("*") on s3 actions
#   with the condition aws:SecureTransport = false.
# scope: package
# custom:
#   id: cis-storage-secure-transport
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - bucket
#   frameworks:
#     cis_aws_v3: "2.1.1"
#     aws_fsbp: S3.5
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Without an explicit deny, clients may read and write objects over plain HTTP, exposing
#     data and credentials to interception.
#   remediation_guidance: >-
#     Merge a statement {Effect Deny, Principal "*", Action "s3:*", Resource the bucket and its
#     objects, Condition Bool aws:SecureTransport "false"} into the bucket policy with
#     s3:PutBucketPolicy. Rollback puts the captured policy back, or deletes the policy if there
#     was none.
package seg.controls.cis_storage_secure_transport

_kind := "bucket"

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

_policy := _at(_config, "policy")

_statements := _at(_policy, "statements")

_denies_insecure contains i if {
	some i, s in _statements
	s.effect == "Deny"
	some p in s.principals
	p.id == "*"
	some a in s.actions
	a in {"*", "s3:*"}
	some c in s.conditions
	lower(c.key) == "aws:securetransport"
	c.operator in {"Bool", "BoolIfExists"}
	some val in c.values
	lower(val) == "false"
}

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
	"result": "fail",
	"message": concat("", ["bucket ", input.config.name, " has no bucket policy denying insecure transport"]),
	"evidence": [{"path": "/policy", "media_type": "application/json"}],
} if {
	_policy == null
} else := {
	"result": "pass",
	"message": concat("", ["bucket policy of ", input.config.name, " denies requests without TLS"]),
	"evidence": [{"path": concat("", ["/policy/statements/", format_int(min(_denies_insecure), 10)]), "media_type": "application/json"}],
} if {
	count(_denies_insecure) > 0
} else := {
	"result": "fail",
	"message": concat("", ["bucket policy of ", input.config.name, " does not deny requests without TLS (aws:SecureTransport=false)"]),
	"evidence": [{"path": "/policy/statements", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))

_errors contains "config.policy is missing" if {
	is_object(_config)
	not _has(_config, "policy")
}

_errors contains "config.policy.statements must be an array" if {
	_policy != null
	_has(_config, "policy")
	not is_array(_statements)
}

_errors contains "config.policy.statements[] need effect, principals, actions and conditions" if {
	some s in _statements
	not _well_formed(s)
}

_well_formed(s) if {
	is_string(s.effect)
	is_array(s.principals)
	is_array(s.actions)
	is_array(s.conditions)
}

_has(obj, key) if {
	_ = obj[key]
}
