# METADATA
# title: S3 account-level Block Public Access is enabled
# description: >-
#   The account-level S3 Block Public Access configuration must exist with every flag the
#   inputs require switched on.
# scope: package
# custom:
#   id: cis-storage-account-public-access-block
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - s3-account
#   frameworks:
#     cis_aws_v3: "2.1.4"
#     aws_fsbp: S3.1
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
#     The account-level setting protects every current and future bucket of the account,
#     including buckets created without their own Block Public Access configuration.
#   remediation_guidance: >-
#     Call s3control:PutPublicAccessBlock for the account with all four flags true. Rollback
#     restores the captured configuration, or calls s3control:DeletePublicAccessBlock if none
#     existed.
package seg.controls.cis_storage_account_public_access_block

_kind := "s3-account"

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

_off contains f if {
	some f in _flags
	object.get(_params, f, true) == true
	_pab[f] != true
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
	"message": "account has no account-level Block Public Access configuration",
	"evidence": [{"path": "/public_access_block", "media_type": "application/json"}],
} if {
	_pab == null
} else := {
	"result": "pass",
	"message": "account-level Block Public Access is on",
	"evidence": [{"path": "/public_access_block", "media_type": "application/json"}],
} if {
	count(_off) == 0
} else := {
	"result": "fail",
	"message": concat("", ["account-level Block Public Access flags off: ", concat(", ", sort(_off))]),
	"evidence": [{"path": concat("", ["/public_access_block/", f]), "media_type": "application/json"} | some f in sort(_off)],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.public_access_block is missing" if {
	is_object(_config)
	not _has(_config, "public_access_block")
}

_errors contains concat("", ["config.public_access_block.", f, " must be a boolean"]) if {
	is_object(_pab)
	some f in _flags
	not is_boolean(_at(_pab, f))
}

_errors contains concat("", ["params.", f, " must be a boolean"]) if {
	some f in _flags
	not is_boolean(object.get(_params, f, true))
}

_has(obj, key) if {
	_ = obj[key]
}
