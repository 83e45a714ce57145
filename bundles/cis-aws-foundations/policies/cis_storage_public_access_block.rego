# METADATA
# title: S3 bucket has Block Public Access enabled and no public policy
# description: >-
#   All four bucket-level Block Public Access flags required by the inputs must be on, and the
#   bucket policy must not Allow Principal "*" without conditions.
# scope: package
# custom:
#   id: cis-storage-public-access-block
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - bucket
#   frameworks:
#     cis_aws_v3: "2.1.4"
#     aws_fsbp: S3.8
#   inputs:
#     type: object
#     properties:
#       block_public_acls:
#         type: boolean
#         default: true
#       ignore_public_acls:
#         type: boolean
#         default: true
#       block_public_policy:
#         type: boolean
#         default: true
#       restrict_public_buckets:
#         type: boolean
#         default: true
#     additionalProperties: false
#   rationale: >-
#     Block Public Access overrides ACLs and policies that would expose the bucket, so a single
#     mistaken grant cannot make data public.
#   remediation_guidance: >-
#     Call s3:PutPublicAccessBlock with all four flags true, and s3:DeleteBucketPolicy if the policy
#     grants Principal "*" (needs approval). Rollback restores the captured configuration
#     (or s3:DeletePublicAccessBlock) and the captured policy.
package seg.controls.cis_storage_public_access_block

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

_params := p if {
	p := input.params
	is_object(p)
} else := {}

_pab := _at(_config, "public_access_block")

_flags := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

_required contains f if {
	some f in _flags
	object.get(_params, f, true) == true
}

_off contains f if {
	some f in _required
	_pab[f] != true
}

_public_statements contains i if {
	some i, s in _at(_at(_config, "policy"), "statements")
	s.effect == "Allow"
	some p in s.principals
	p.id == "*"
	count(s.conditions) == 0
}

_reasons contains "Bucket allows public policy" if "block_public_policy" in _off

_reasons contains concat("", ["Block Public Access flag ", f, " is off"]) if some f in _off

_reasons contains "bucket policy grants access to Principal \"*\"" if count(_public_statements) > 0

_evidence contains {"path": concat("", ["/public_access_block/", f]), "media_type": "application/json"} if some f in _off

_evidence contains {"path": concat("", ["/policy/statements/", format_int(i, 10)]), "media_type": "application/json"} if some i in _public_statements

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
	"message": concat("", ["bucket ", input.config.name, " has no Block Public Access configuration"]),
	"evidence": [{"path": "/public_access_block", "media_type": "application/json"}],
} if {
	_pab == null
} else := {
	"result": "pass",
	"message": concat("", ["bucket ", input.config.name, " blocks public access"]),
	"evidence": [{"path": "/public_access_block", "media_type": "application/json"}],
} if {
	count(_reasons) == 0
} else := {
	"result": "fail",
	"message": concat("; ", sort(_reasons)),
	"evidence": sort(_evidence),
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))

_errors contains "config.public_access_block is missing" if {
	is_object(_config)
	not _has(_config, "public_access_block")
}

_errors contains concat("", ["config.public_access_block.", f, " must be a boolean"]) if {
	is_object(_pab)
	some f in _flags
	not is_boolean(_at(_pab, f))
}

_errors contains "config.policy is missing" if {
	is_object(_config)
	not _has(_config, "policy")
}

_errors contains "config.policy.statements[] need effect, principals and conditions" if {
	some s in _at(_at(_config, "policy"), "statements")
	not _well_formed(s)
}

_errors contains concat("", ["params.", f, " must be a boolean"]) if {
	some f in _flags
	not is_boolean(object.get(_params, f, true))
}

_well_formed(s) if {
	is_string(s.effect)
	is_array(s.principals)
	is_array(s.conditions)
}

_has(obj, key) if {
	_ = obj[key]
}
