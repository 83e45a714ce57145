# METADATA
# title: EC2 instances require IMDSv2
# description: >-
#   A running or stopped instance must require session tokens for the instance metadata service
#   (HttpTokens = required) or have the metadata endpoint disabled. Terminated instances are not
#   applicable.
# scope: package
# custom:
#   id: cis-ec2-imdsv2-required
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - ec2-instance
#   frameworks:
#     cis_aws_v3: "5.6"
#     aws_fsbp: EC2.8
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     IMDSv1 answers any request from the instance, so an SSRF flaw in an application can read the
#     instance role's credentials; IMDSv2 session tokens block that.
#   remediation_guidance: >-
#     Call ec2:ModifyInstanceMetadataOptions with HttpTokens=required after checking that the
#     instance's SDKs support IMDSv2 (needs approval). Rollback sets HttpTokens=optional.
package seg.controls.cis_ec2_imdsv2_required

_kind := "ec2-instance"

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

_options := _at(_config, "metadata_options")

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
	"result": "not_applicable",
	"message": concat("", ["instance ", input.config.instance_id, " is ", input.config.state]),
	"evidence": [{"path": "/state", "media_type": "application/json"}],
} if {
	input.config.state in {"terminated", "shutting-down"}
} else := {
	"result": "pass",
	"message": concat("", ["instance ", input.config.instance_id, " requires IMDSv2 session tokens"]),
	"evidence": [{"path": "/metadata_options/http_tokens", "media_type": "application/json"}],
} if {
	_options.http_tokens == "required"
} else := {
	"result": "pass",
	"message": concat("", ["instance ", input.config.instance_id, " has the metadata endpoint disabled"]),
	"evidence": [{"path": "/metadata_options/http_endpoint", "media_type": "application/json"}],
} if {
	_options.http_endpoint == "disabled"
} else := {
	"result": "fail",
	"message": concat("", ["instance ", input.config.instance_id, " allows IMDSv1 (http_tokens ", _options.http_tokens, ")"]),
	"evidence": [{"path": "/metadata_options/http_tokens", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.instance_id must be a string" if not is_string(_at(_config, "instance_id"))

_errors contains "config.state must be a string" if not is_string(_at(_config, "state"))

_errors contains "config.metadata_options.http_tokens must be a string" if not is_string(_at(_options, "http_tokens"))

_errors contains "config.metadata_options.http_endpoint must be a string" if not is_string(_at(_options, "http_endpoint"))
