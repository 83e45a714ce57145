# METADATA
# title: S3 bucket default encryption uses SSE-KMS
# description: >-
#   The bucket's default encryption must use one of the allowed algorithms (aws:kms or
#   aws:kms:dsse by default), so that objects are encrypted under customer-controlled KMS keys.
# scope: package
# custom:
#   id: cis-storage-default-encryption-kms
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - bucket
#   frameworks:
#     cis_aws_v1_5: "2.1.1"
#     aws_fsbp: S3.4
#   inputs:
#     type: object
#     properties:
#       allowed_algorithms:
#         type: array
#         items:
#           type: string
#         minItems: 1
#         default:
#           - aws:kms
#           - aws:kms:dsse
#     additionalProperties: false
#   rationale: >-
#     SSE-KMS adds key policies, audit of every key use in CloudTrail and the ability to revoke
#     access by disabling the key, which the provider-managed SSE-S3 default does not give.
#   remediation_guidance: >-
#     Call s3:PutBucketEncryption with SSEAlgorithm aws:kms and a customer managed key (enable
#     BucketKeyEnabled to cut KMS cost). Rollback puts the captured configuration back, or
#     calls s3:DeleteBucketEncryption if there was none.
package seg.controls.cis_storage_default_encryption_kms

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

_encryption := _at(_config, "encryption")

_rules := _at(_encryption, "rules")

_allowed := object.get(_params, "allowed_algorithms", ["aws:kms", "aws:kms:dsse"])

_algorithms := sort({r.sse_algorithm | some r in _rules})

_good contains a if {
	some a in _algorithms
	a in _allowed
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
	"message": concat("", ["bucket ", input.config.name, " has no default encryption configuration (provider default SSE-S3 at most)"]),
	"evidence": [{"path": "/encryption", "media_type": "application/json"}],
} if {
	_encryption == null
} else := {
	"result": "fail",
	"message": concat("", ["bucket ", input.config.name, " has no default encryption configuration (no rules)"]),
	"evidence": [{"path": "/encryption/rules", "media_type": "application/json"}],
} if {
	count(_rules) == 0
} else := {
	"result": "pass",
	"message": concat("", ["default encryption of ", input.config.name, " uses ", concat(", ", sort(_good))]),
	"evidence": [{"path": "/encryption/rules", "media_type": "application/json"}],
} if {
	count(_good) > 0
} else := {
	"result": "fail",
	"message": concat("", [
		"default encryption of ", input.config.name, " uses ", concat(", ", _algorithms),
		", not one of ", concat(", ", _allowed),
	]),
	"evidence": [{"path": "/encryption/rules", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))

_errors contains "config.encryption is missing" if {
	is_object(_config)
	not _has(_config, "encryption")
}

_errors contains "config.encryption.rules must be an array" if {
	_encryption != null
	_has(_config, "encryption")
	not is_array(_rules)
}

_errors contains "config.encryption.rules[].sse_algorithm must be a string" if {
	some r in _rules
	not is_string(_at(r, "sse_algorithm"))
}

_errors contains "params.allowed_algorithms must be an array of strings" if not _string_array(_allowed)

_string_array(xs) if {
	is_array(xs)
	every x in xs {
		is_string(x)
	}
}

_has(obj, key) if {
	_ = obj[key]
}
