# METADATA
# title: S3 bucket ACL grants nothing to the public and ACLs are disabled
# description: >-
#   The bucket ACL must not grant any permission to the AllUsers or AuthenticatedUsers groups,
#   and (unless the inputs relax it) object ownership must be BucketOwnerEnforced, which
#   disables ACLs altogether.
# scope: package
# custom:
#   id: cis-storage-no-public-acl
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - bucket
#   frameworks:
#     aws_fsbp: S3.12
#   inputs:
#     type: object
#     properties:
#       require_bucket_owner_enforced:
#         type: boolean
#         default: true
#     additionalProperties: false
#   rationale: >-
#     Public ACL grants expose objects to anyone on the internet, or to any AWS account. With
#     BucketOwnerEnforced, access is governed by policies only and ACL mistakes cannot recur.
#   remediation_guidance: >-
#     Call s3:PutBucketAcl with the private canned ACL and s3:PutBucketOwnershipControls with
#     BucketOwnerEnforced. Rollback puts the captured grants and ownership setting back.
package seg.controls.cis_storage_no_public_acl

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

_grants := _at(_at(_config, "acl"), "grants")

_ownership := _at(_config, "ownership_controls")

_require_enforced := object.get(_params, "require_bucket_owner_enforced", true)

_public_grants contains i if {
	some i, g in _grants
	g.grantee_uri in data.seg.s3.public_grantee_uris
}

_reasons contains concat("", ["bucket ACL grants ", g.permission, " to ", g.grantee_uri]) if {
	some i in _public_grants
	g := _grants[i]
}

_reasons contains "ACLs are enabled (no object ownership controls)" if {
	_require_enforced == true
	_ownership == null
}

_reasons contains concat("", ["ACLs are enabled (object ownership ", _ownership.object_ownership, ")"]) if {
	_require_enforced == true
	_ownership.object_ownership != "BucketOwnerEnforced"
}

_evidence contains {"path": concat("", ["/acl/grants/", format_int(i, 10)]), "media_type": "application/json"} if some i in _public_grants

_evidence contains {"path": "/ownership_controls", "media_type": "application/json"} if {
	_require_enforced == true
	_at(_ownership, "object_ownership") != "BucketOwnerEnforced"
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
	"result": "pass",
	"message": concat("", ["bucket ", input.config.name, " grants nothing to the public through ACLs"]),
	"evidence": [
		{"path": "/acl/grants", "media_type": "application/json"},
		{"path": "/ownership_controls", "media_type": "application/json"},
	],
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

_errors contains "config.acl.grants must be an array" if not is_array(_grants)

_errors contains "config.acl.grants[] need grantee_uri and permission" if {
	some g in _grants
	not _grant_ok(g)
}

_errors contains "config.ownership_controls is missing" if {
	is_object(_config)
	not _has(_config, "ownership_controls")
}

_errors contains "config.ownership_controls.object_ownership must be a string" if {
	_ownership != null
	_has(_config, "ownership_controls")
	not is_string(_at(_ownership, "object_ownership"))
}

_errors contains "params.require_bucket_owner_enforced must be a boolean" if not is_boolean(_require_enforced)

_grant_ok(g) if {
	is_string(g.permission)
	_has(g, "grantee_uri")
}

_has(obj, key) if {
	_ = obj[key]
}
