# METADATA
# title: EBS encryption by default is enabled in every region
# description: >-
#   Encryption by default must be switched on for EBS in the region the asset represents, so
#   that every new volume and snapshot copy is encrypted.
# scope: package
# custom:
#   id: cis-ec2-ebs-default-encryption
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - ebs-encryption-default
#   frameworks:
#     cis_aws_v3: "2.2.1"
#     aws_fsbp: EC2.7
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     With the default on, a forgotten Encrypted flag cannot create an unencrypted volume; the
#     setting is per region, so every region needs it.
#   remediation_guidance: >-
#     Call ec2:EnableEbsEncryptionByDefault in the region. Rollback calls
#     ec2:DisableEbsEncryptionByDefault.
package seg.controls.cis_ec2_ebs_default_encryption

_kind := "ebs-encryption-default"

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
	"message": concat("", ["EBS encryption by default is on in ", input.config.region]),
	"evidence": [{"path": "/encryption_by_default", "media_type": "application/json"}],
} if {
	input.config.encryption_by_default == true
} else := {
	"result": "fail",
	"message": concat("", ["EBS encryption by default is off in ", input.config.region]),
	"evidence": [{"path": "/encryption_by_default", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.encryption_by_default must be a boolean" if not is_boolean(_at(_config, "encryption_by_default"))

_errors contains "config.region must be a string" if not is_string(_at(_config, "region"))
